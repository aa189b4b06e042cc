package workflow

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/docvalidate"
)

// Requirement is what an age-verification session asks of the user, as in
// the session API.
type Requirement string

// Requirements.
const (
	// RequireFace estimates the age from a selfie; an estimate under the
	// challenge age (but not clearly under the threshold) asks for a
	// document.
	RequireFace Requirement = "face"
	// RequireDocument reads the date of birth from an identity document.
	// With RequireFace too, the selfie must match the document's photo.
	RequireDocument Requirement = "identity_document"
)

// FlowStatus is the state of a session's flow, as in the reference API.
type FlowStatus string

// Flow statuses. Completed, Cancelled and Expired are final.
const (
	FlowInProgress FlowStatus = "IN_PROGRESS"
	FlowCompleted  FlowStatus = "COMPLETED"
	FlowCancelled  FlowStatus = "CANCELLED"
	FlowExpired    FlowStatus = "EXPIRED"
)

// SessionStatus is what the session found, as in the reference API.
type SessionStatus string

// Session statuses. Above and below are the answers; the others say what
// is awaited, or why a completed session has no answer.
const (
	SessionPending          SessionStatus = "PENDING"             // no capture yet
	SessionDocumentRequired SessionStatus = "DOCUMENT_REQUIRED"   // the face estimate was not enough: send a document and a selfie
	SessionRetry            SessionStatus = "RETRY_REQUIRED"      // the last capture could not be used; Reason says why
	SessionAgeAbove         SessionStatus = "AGE_ABOVE_THRESHOLD" // final answer
	SessionAgeBelow         SessionStatus = "AGE_BELOW_THRESHOLD" // final answer
	SessionFaceMismatch     SessionStatus = "FACE_MISMATCH"       // attempts used up: the selfie did not match the document
	SessionDocumentInvalid  SessionStatus = "DOCUMENT_INVALID"    // attempts used up: the document failed validation
	SessionSpoofDetected    SessionStatus = "SPOOF_DETECTED"      // attempts used up: the selfie was not a live person
	SessionAgeNotVerified   SessionStatus = "AGE_NOT_VERIFIED"    // attempts used up on unusable captures, or expired without an answer
)

// Errors Submit and Cancel return.
var (
	// ErrSessionClosed: the session's flow is completed, cancelled or
	// expired.
	ErrSessionClosed = errors.New("workflow: age session is closed")
	// ErrSessionExpired: the window ran out; the session is now EXPIRED.
	ErrSessionExpired = errors.New("workflow: age session expired")
	// ErrCapture: the capture lacks an image the requirements need; no
	// attempt is used.
	ErrCapture = errors.New("workflow: capture is missing an image")
	// ErrRequirements: requirements empty, unknown or repeated.
	ErrRequirements = errors.New("workflow: invalid requirements")
)

// Defaults for AgeFlowConfig.
const (
	DefaultAgeThreshold    = 18
	DefaultChallengeBuffer = 7 // a challenge age of 25 for 18, as "Challenge 25" retail practice
	DefaultMaxAttempts     = 3
	DefaultWindow          = 30 * time.Minute
)

// AgeFlowConfig configures an AgeFlow. The zero value works.
type AgeFlowConfig struct {
	// Threshold is the age to verify; 0 means 18 for a face estimate and,
	// for a document, the age of majority of the issuing country or US
	// state or Canadian province. A session may set its own.
	Threshold float64 `json:"threshold,omitempty"`
	// Challenge is the age a face estimate must reach to pass without a
	// document; 0 means Threshold + 7 (25 for 18).
	Challenge float64 `json:"challenge,omitempty"`
	// MinConfidence is the estimate confidence under which a document is
	// asked for; 0 means age.DefaultMinConfidence (0.55, Challenge25's
	// floor, which halves the minors passing on the face alone).
	MinConfidence float64 `json:"min_confidence,omitempty"`
	// CompareThreshold is the selfie↔document similarity a match needs; 0
	// keeps the matcher's own.
	CompareThreshold float64 `json:"compare_threshold,omitempty"`
	// MaxAttempts is how many unusable or failing captures a session
	// allows; 0 means 3.
	MaxAttempts int `json:"max_attempts,omitempty"`
	// Window is how long a session stays open; 0 means 30 minutes.
	Window time.Duration `json:"window,omitempty"`
	// ThresholdOnly keeps the estimated age and the document's age out of
	// the result and the reasons (privacy mode): only above or below is
	// told.
	ThresholdOnly bool `json:"threshold_only,omitempty"`
}

// AgeThresholds are the thresholds a session applied.
type AgeThresholds struct {
	AgeThreshold float64 `json:"ageThreshold"`
	// ChallengeAge is the age a face estimate had to reach.
	ChallengeAge float64 `json:"challengeAge,omitempty"`
	// CompareThreshold is the face-match similarity required; 0 when no
	// match was made.
	CompareThreshold float64 `json:"compareThreshold"`
}

// AgeFlowResult is a session's result, as in the reference API.
type AgeFlowResult struct {
	// Age is the face estimate; nil without a face estimate or in
	// threshold-only mode.
	Age *float64 `json:"age"`
	// ConfidenceScore is the confidence in the answer, 0–1: the
	// estimate's confidence for a face; for a document, the validation's
	// confidence (and no more than the face similarity when matched).
	ConfidenceScore float64 `json:"confidenceScore"`
	// DocumentAge is the age from the document's date of birth; nil in
	// threshold-only mode.
	DocumentAge *int          `json:"documentAge"`
	Thresholds  AgeThresholds `json:"thresholds"`
}

// AgeAttempt is one capture submitted to a session.
type AgeAttempt struct {
	Number int       `json:"number"`
	At     time.Time `json:"at"`
	// Status is the session status this attempt led to.
	Status SessionStatus `json:"status"`
	Reason string        `json:"reason"`
	// Similarity is the selfie↔document similarity when compared.
	Similarity *float64 `json:"similarity,omitempty"`
	DurationMS float64  `json:"durationMs"`
}

// AgeSession is the state of one age verification. The caller stores it
// between calls (it is plain JSON); AgeFlow's methods update it in place.
// A session is not safe for concurrent use: serialise calls per session.
type AgeSession struct {
	ID            string         `json:"sessionId"`
	Requirements  []Requirement  `json:"requirements"`
	FlowStatus    FlowStatus     `json:"flowStatus"`
	SessionStatus SessionStatus  `json:"sessionStatus"`
	Reason        string         `json:"reason,omitempty"`
	CreatedAt     time.Time      `json:"createdAt"`
	ExpiresAt     time.Time      `json:"expiresAt"`
	CompletedAt   *time.Time     `json:"completedAt,omitempty"`
	MaxAttempts   int            `json:"maxAttempts"`
	Failures      int            `json:"failures"`
	Result        *AgeFlowResult `json:"result,omitempty"`
	Attempts      []AgeAttempt   `json:"attempts"`
	// Threshold is the session's own threshold; 0 uses the flow's.
	Threshold float64 `json:"threshold,omitempty"`
	// DocumentRequired is set when a face estimate asked for a document.
	DocumentRequired bool `json:"documentRequired,omitempty"`
}

// Closed reports whether the flow is final.
func (s *AgeSession) Closed() bool { return s.FlowStatus != FlowInProgress }

// AgeFlow runs age-verification sessions. It is safe for concurrent use
// (each session by one caller at a time).
type AgeFlow struct {
	cfg AgeFlowConfig
	b   Backends
	now func() time.Time
}

// NewAgeFlow returns a flow. Backends.Age is needed for [face],
// Backends.Reader for [identity_document], Backends.Matcher for both;
// Backends.Liveness, when set, checks selfies first. A nil Validator is
// replaced by a docvalidate.Validator with age.Majority (a minor is then an
// answer, not an invalid document).
func NewAgeFlow(cfg AgeFlowConfig, b Backends, opts Options) (*AgeFlow, error) {
	if cfg.Threshold < 0 || cfg.Challenge < 0 || !(cfg.MinConfidence >= 0 && cfg.MinConfidence <= 1) || cfg.MaxAttempts < 0 || cfg.Window < 0 ||
		!(cfg.CompareThreshold >= 0 && cfg.CompareThreshold < 1) {
		return nil, fmt.Errorf("%w: negative or out-of-range age flow setting", ErrConfig)
	}
	if cfg.Challenge > 0 && cfg.Challenge < cfg.Threshold {
		return nil, fmt.Errorf("%w: challenge age %v is under the threshold %v", ErrConfig, cfg.Challenge, cfg.Threshold)
	}
	if cfg.MinConfidence == 0 {
		cfg.MinConfidence = age.DefaultMinConfidence
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Window == 0 {
		cfg.Window = DefaultWindow
	}
	f := &AgeFlow{cfg: cfg, b: b, now: opts.Now}
	if f.now == nil {
		f.now = time.Now
	}
	if f.b.Validator == nil {
		majority, lookup := majorityTable(opts.Majority)
		v, err := docvalidate.New(docvalidate.Config{Now: f.now, Majority: majority, MajorityLookup: lookup, AllowMinors: true})
		if err != nil {
			return nil, err
		}
		f.b.Validator = v
	}
	return f, nil
}

// AgeRequest opens a session.
type AgeRequest struct {
	ID           string
	Requirements []Requirement
	// Threshold overrides the flow's; 0 keeps it.
	Threshold float64
}

// Start opens a session.
func (f *AgeFlow) Start(req AgeRequest) (*AgeSession, error) {
	if len(req.Requirements) == 0 {
		return nil, fmt.Errorf("%w: none given", ErrRequirements)
	}
	seen := map[Requirement]bool{}
	for _, r := range req.Requirements {
		if r != RequireFace && r != RequireDocument {
			return nil, fmt.Errorf("%w: unknown %q", ErrRequirements, r)
		}
		if seen[r] {
			return nil, fmt.Errorf("%w: %q twice", ErrRequirements, r)
		}
		seen[r] = true
	}
	if req.Threshold < 0 || math.IsNaN(req.Threshold) {
		return nil, fmt.Errorf("%w: threshold %v", ErrConfig, req.Threshold)
	}
	now := f.now()
	return &AgeSession{
		ID: req.ID, Requirements: slices.Clone(req.Requirements),
		FlowStatus: FlowInProgress, SessionStatus: SessionPending,
		CreatedAt: now, ExpiresAt: now.Add(f.cfg.Window), MaxAttempts: f.cfg.MaxAttempts,
		Threshold: req.Threshold, Attempts: []AgeAttempt{},
	}, nil
}

// Refresh expires the session when its window has passed; it reports
// whether the session is still open.
func (f *AgeFlow) Refresh(s *AgeSession) bool {
	if s.FlowStatus == FlowInProgress && !f.now().Before(s.ExpiresAt) {
		s.FlowStatus = FlowExpired
		if s.SessionStatus != SessionAgeAbove && s.SessionStatus != SessionAgeBelow {
			s.SessionStatus = SessionAgeNotVerified
		}
		s.Reason = fmt.Sprintf("the session expired at %s without an answer", s.ExpiresAt.UTC().Format(time.RFC3339))
		t := s.ExpiresAt
		s.CompletedAt = &t
	}
	return s.FlowStatus == FlowInProgress
}

// Cancel cancels an open session.
func (f *AgeFlow) Cancel(s *AgeSession) error {
	if !f.Refresh(s) {
		return ErrSessionClosed
	}
	s.FlowStatus, s.Reason = FlowCancelled, "cancelled"
	t := f.now()
	s.CompletedAt = &t
	return nil
}

// AgeCapture is what the user sent for one attempt.
type AgeCapture struct {
	Selfie        image.Image
	DocumentFront image.Image
	DocumentBack  image.Image
}

func (s *AgeSession) needs(r Requirement) bool {
	if r == RequireDocument && s.DocumentRequired {
		return true
	}
	return slices.Contains(s.Requirements, r)
}

// Submit runs one attempt and updates s. It returns ErrSessionClosed or
// ErrSessionExpired for a closed session, ErrCapture for a capture that
// lacks an image (no attempt is used), and a backend's error when a model
// fails (no attempt is used either: it is not the user's fault). Anything
// the user can fix by capturing again is an attempt with status
// RETRY_REQUIRED, until MaxAttempts are used.
func (f *AgeFlow) Submit(ctx context.Context, s *AgeSession, c AgeCapture) (AgeAttempt, error) {
	if s.Closed() {
		return AgeAttempt{}, ErrSessionClosed
	}
	if !f.Refresh(s) {
		return AgeAttempt{}, ErrSessionExpired
	}
	needFace, needDoc := s.needs(RequireFace), s.needs(RequireDocument)
	switch {
	case needFace && c.Selfie == nil:
		return AgeAttempt{}, fmt.Errorf("%w: a selfie is required", ErrCapture)
	case needDoc && c.DocumentFront == nil:
		return AgeAttempt{}, fmt.Errorf("%w: a photo of the identity document is required", ErrCapture)
	}
	t0 := time.Now()
	at := AgeAttempt{Number: len(s.Attempts) + 1, At: f.now()}
	res, err := f.attempt(ctx, s, c, needFace, needDoc, &at)
	if err != nil {
		return AgeAttempt{}, err
	}
	s.Result = res.result
	at.Status, at.Reason = res.status, res.reason
	if res.retry {
		s.Failures++
		if s.Failures >= s.MaxAttempts {
			at.Status = res.finalStatus
			at.Reason += fmt.Sprintf(" (%d of %d attempts used)", s.Failures, s.MaxAttempts)
			f.complete(s)
		} else {
			at.Status = SessionRetry
			at.Reason += fmt.Sprintf(" (attempt %d of %d; capture again)", s.Failures, s.MaxAttempts)
		}
	} else if res.status == SessionAgeAbove || res.status == SessionAgeBelow {
		f.complete(s)
	}
	if res.status == SessionDocumentRequired {
		s.DocumentRequired = true
	}
	s.SessionStatus, s.Reason = at.Status, at.Reason
	at.DurationMS = ms(time.Since(t0))
	s.Attempts = append(s.Attempts, at)
	return at, nil
}

func (f *AgeFlow) complete(s *AgeSession) {
	s.FlowStatus = FlowCompleted
	t := f.now()
	s.CompletedAt = &t
}

// attemptResult is what one attempt found. retry marks a failure the user
// may fix; finalStatus is the status once attempts are used up.
type attemptResult struct {
	status      SessionStatus
	reason      string
	retry       bool
	finalStatus SessionStatus
	result      *AgeFlowResult
}

func retryable(final SessionStatus, reason string, res *AgeFlowResult) attemptResult {
	return attemptResult{status: SessionRetry, reason: reason, retry: true, finalStatus: final, result: res}
}

func (f *AgeFlow) thresholds(s *AgeSession) (threshold, challenge float64) {
	threshold = s.Threshold
	if threshold == 0 {
		threshold = f.cfg.Threshold
	}
	if threshold == 0 {
		threshold = DefaultAgeThreshold
	}
	challenge = f.cfg.Challenge
	if challenge == 0 || challenge < threshold {
		challenge = threshold + DefaultChallengeBuffer
	}
	return threshold, challenge
}

func (f *AgeFlow) attempt(ctx context.Context, s *AgeSession, c AgeCapture, needFace, needDoc bool, at *AgeAttempt) (attemptResult, error) {
	res := &AgeFlowResult{}
	if s.Result != nil {
		*res = *s.Result // an earlier face estimate stays in the result
	}
	if c.Selfie != nil && f.b.Liveness != nil {
		l, err := f.b.Liveness.CheckLiveness(ctx, c.Selfie)
		switch {
		case errors.Is(err, ErrNoFace):
			return retryable(SessionAgeNotVerified, "no face was found in the selfie", res), nil
		case err != nil:
			return attemptResult{}, fmt.Errorf("liveness: %w", err)
		case !l.IsLive:
			return retryable(SessionSpoofDetected, fmt.Sprintf("the selfie is not a live person (%s, confidence %.2f)", orUnknown(l.SpoofType), l.Confidence), res), nil
		}
	}
	threshold, challenge := f.thresholds(s)
	var estimate *age.Decision
	if needFace {
		if f.b.Age == nil {
			return attemptResult{}, errors.New("workflow: [face] needs an age estimator")
		}
		e, err := f.b.Age.EstimateAge(ctx, c.Selfie)
		switch {
		case errors.Is(err, ErrNoFace):
			return retryable(SessionAgeNotVerified, "no face was found in the selfie", res), nil
		case err != nil:
			return attemptResult{}, fmt.Errorf("age estimate: %w", err)
		}
		d, err := age.Decide(e, age.Policy{Threshold: threshold, Challenge: challenge, MinConfidence: f.cfg.MinConfidence,
			ThresholdOnly: f.cfg.ThresholdOnly})
		if err != nil {
			return attemptResult{}, err
		}
		estimate = &d
		res.Age = d.Age
		res.ConfidenceScore = e.Confidence
		res.Thresholds = AgeThresholds{AgeThreshold: threshold, ChallengeAge: challenge}
		if !needDoc {
			// The face alone only ever passes: a face under the challenge
			// age, even one clearly under the threshold, is sent to the
			// document check (an adult who looks young must have a way
			// through), as the [face] requirement specifies.
			if d.Outcome == age.Above {
				return attemptResult{status: SessionAgeAbove, reason: d.Reason, result: res}, nil
			}
			return attemptResult{status: SessionDocumentRequired, reason: d.Reason + "; send a photo of an identity document with a selfie", result: res}, nil
		}
	}
	return f.documentAttempt(ctx, s, c, needFace, estimate, res, at)
}

func (f *AgeFlow) documentAttempt(ctx context.Context, s *AgeSession, c AgeCapture, needFace bool, estimate *age.Decision,
	res *AgeFlowResult, at *AgeAttempt) (attemptResult, error) {
	if f.b.Reader == nil {
		return attemptResult{}, errors.New("workflow: [identity_document] needs a document reader")
	}
	doc, err := f.b.Reader.ReadDocument(ctx, c.DocumentFront, c.DocumentBack)
	if err != nil {
		return attemptResult{}, fmt.Errorf("document: %w", err)
	}
	in := doc.Validation
	in.ReferenceDate = f.now() // judged on the flow's clock, never on a date the reader passed on
	v := f.b.Validator.Validate(in)
	private := f.cfg.ThresholdOnly
	var problems []string
	for _, ch := range v.Failed() {
		if ch.Name != docvalidate.CheckMajority { // a minor is an answer, not a bad document
			// In privacy mode a check's reason may quote the date of
			// birth (an implausible date, an issue date before it): only
			// the check's name is told.
			problems = append(problems, cond(private, ch.Name, ch.Reason))
		}
	}
	if v.Document.Age == nil {
		return retryable(SessionAgeNotVerified, "no date of birth could be read from the document", res), nil
	}
	if len(problems) > 0 {
		return retryable(SessionDocumentInvalid, "the document is not valid: "+strings.Join(problems, "; "), res), nil
	}
	if !private {
		res.DocumentAge = v.Document.Age
	}
	res.ConfidenceScore = v.Confidence
	if needFace {
		if f.b.Matcher == nil {
			return attemptResult{}, errors.New("workflow: [face, identity_document] needs a face matcher")
		}
		if doc.FaceCrop == nil {
			return retryable(SessionAgeNotVerified, "no photo of the holder was found on the document", res), nil
		}
		m, err := f.b.Matcher.MatchFaces(ctx, c.Selfie, doc.FaceCrop)
		switch {
		case errors.Is(err, ErrNoFace):
			return retryable(SessionAgeNotVerified, "a face could not be found for the comparison", res), nil
		case err != nil:
			return attemptResult{}, fmt.Errorf("face match: %w", err)
		}
		if t := f.cfg.CompareThreshold; t > 0 {
			m.Threshold, m.Match = t, m.Similarity >= t
		}
		sim := m.Similarity
		at.Similarity = &sim
		res.Thresholds.CompareThreshold = m.Threshold
		if !m.Match {
			return retryable(SessionFaceMismatch, fmt.Sprintf("the selfie does not match the document photo: similarity %.2f < %.2f", m.Similarity, m.Threshold), res), nil
		}
		res.ConfidenceScore = min(res.ConfidenceScore, m.Similarity)
	}
	// The threshold: the session's or flow's when given, else the age of
	// majority where the document was issued.
	threshold := s.Threshold
	if threshold == 0 {
		threshold = f.cfg.Threshold
	}
	source := "the threshold"
	if threshold == 0 {
		if v.Document.MajorityAge == nil {
			return attemptResult{}, errors.New("workflow: no threshold and no age of majority for the document")
		}
		threshold = float64(*v.Document.MajorityAge)
		source = "the age of majority of " + orUnknown(v.Document.Country)
		if v.Document.Subdivision != "" {
			source += "/" + v.Document.Subdivision
		}
	}
	res.Thresholds.AgeThreshold = threshold
	docAge := *v.Document.Age
	note := ""
	if estimate != nil && estimate.Outcome == age.Below && float64(docAge) >= threshold {
		note = "; the face estimate was under the threshold, the matched document decides"
	}
	if private {
		// Privacy mode: neither the age nor any number that would narrow
		// it down; the threshold applied is in the result's thresholds.
		if source == "the threshold" {
			source = "the session's age threshold"
		}
		if float64(docAge) >= threshold {
			return attemptResult{status: SessionAgeAbove, result: res,
				reason: fmt.Sprintf("the document shows the holder has reached %s%s", source, note)}, nil
		}
		return attemptResult{status: SessionAgeBelow, result: res,
			reason: fmt.Sprintf("the document shows the holder is under %s", source)}, nil
	}
	if float64(docAge) >= threshold {
		return attemptResult{status: SessionAgeAbove, result: res,
			reason: fmt.Sprintf("the document gives age %d, at least %g, %s%s", docAge, threshold, source, note)}, nil
	}
	return attemptResult{status: SessionAgeBelow, result: res,
		reason: fmt.Sprintf("the document gives age %d, under %g, %s", docAge, threshold, source)}, nil
}

func cond[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}
