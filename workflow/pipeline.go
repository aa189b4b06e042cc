package workflow

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/kya"
	"github.com/idkit-dev/idkit/score"
)

// Options are the pipeline's injected dependencies.
type Options struct {
	// Now is the clock for the report's start time and the document's
	// expiry and age; nil means time.Now. Durations are measured on the
	// monotonic clock whatever Now says, so a fixed test clock still gives
	// real timings.
	Now func() time.Time
	// Majority gives the age of majority per country and state for the
	// document validator the pipeline builds; nil means age.LookupMajority,
	// whose reasons say why an age is a guess.
	Majority docvalidate.MajorityFunc
	// Logger receives step failures at debug level, never personal data;
	// nil discards.
	Logger *slog.Logger
}

// Pipeline runs a tenant's verification. It is safe for concurrent use.
type Pipeline struct {
	cfg    Config
	b      Backends
	rules  []compiledRule
	scorer *score.Scorer
	now    func() time.Time
	log    *slog.Logger
}

// New returns a pipeline for cfg. A nil Backends.Validator is replaced by a
// docvalidate.Validator configured from cfg.Document; a nil
// Backends.Profile by a kya.Checker that needs no network (no MX, no
// GeoIP). Other nil backends skip their steps.
func New(cfg Config, b Backends, opts Options) (*Pipeline, error) {
	cfg = cfg.clone() // the caller may reuse or edit its slices
	if err := cfg.check(); err != nil {
		return nil, err
	}
	p := &Pipeline{cfg: cfg, b: b, now: opts.Now, log: opts.Logger}
	if p.now == nil {
		p.now = time.Now
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.b.Validator == nil {
		dc := cfg.docvalidateConfig(opts.Majority)
		dc.Now = p.now
		v, err := docvalidate.New(dc)
		if err != nil {
			return nil, fmt.Errorf("%w: document: %v", ErrConfig, err)
		}
		p.b.Validator = v
	}
	if p.b.Profile == nil {
		k, err := kya.New(kya.Config{Logger: opts.Logger})
		if err != nil {
			return nil, err
		}
		p.b.Profile = k
	}
	var err error
	if p.rules, err = compileRules(cfg.Rules); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if p.scorer, err = score.New(cfg.Score); err != nil {
		return nil, fmt.Errorf("%w: score: %v", ErrConfig, err)
	}
	return p, nil
}

// Config returns a copy of the pipeline's config.
func (p *Pipeline) Config() Config { return p.cfg.clone() }

// Request is one verification.
type Request struct {
	Selfie        image.Image
	DocumentFront image.Image
	DocumentBack  image.Image
	// Document gives the document's fields directly (typed in, or read
	// elsewhere): the ocr step then reads nothing. DocumentPhoto is the
	// holder's photo for the face match in that case. Its ReferenceDate is
	// ignored: the document is judged on the pipeline's clock (Options.Now).
	Document      *docvalidate.Input
	DocumentPhoto image.Image
	// Profile is what the user declared, for the KYA step. Its
	// DocumentName and, when empty, Country are filled from the document.
	Profile kya.Input
}

// run is the state of one Run. Each field is written by one step only and
// read by the steps that wait for it, so the done channels order them.
type run struct {
	p     *Pipeline
	req   Request
	start time.Time   // by the injected clock, for the report
	mono  time.Time   // by the monotonic clock, for durations
	hard  atomic.Bool // a hard failure was found, for FailFast

	mu       sync.Mutex
	outcomes map[StepName]string // each finished step's outcome, for the score's reasons

	liveness   *Liveness
	doc        *Document
	validation *docvalidate.Report
	match      *FaceMatch
	age        *AgeResult
	kya        *kya.Report
	rules      []RuleResult
	scoring    *score.Result
	decision   score.Decision
	reasons    []string
}

// outcome is what a step function returns.
type outcome struct {
	status  StepStatus
	text    string
	input   map[string]any
	err     error
	hardHit bool
}

func skipped(why string) outcome { return outcome{status: StepSkipped, text: why} }

type stepFunc func(ctx context.Context, r *run) outcome

func (p *Pipeline) stepFunc(s StepName) stepFunc {
	switch s {
	case StepLiveness:
		return stepLiveness
	case StepOCR:
		return stepOCR
	case StepValidate:
		return stepValidate
	case StepFaceMatch:
		return stepFaceMatch
	case StepAge:
		return stepAge
	case StepKYA:
		return stepKYA
	case StepRules:
		return stepRules
	case StepScore:
		return stepScore
	}
	return nil
}

// Run verifies one request. A step that fails is reported as failed and
// the others carry on; Run returns an error only when ctx ends, with the
// report of what was done until then.
func (p *Pipeline) Run(ctx context.Context, req Request) (*Report, error) {
	r := &run{p: p, req: req, start: p.now(), mono: time.Now(), outcomes: map[StepName]string{}}
	steps := p.cfg.steps()
	reports := make([]StepReport, len(steps))
	done := map[StepName]chan struct{}{}
	for _, s := range steps {
		done[s] = make(chan struct{})
	}
	var g errgroup.Group
	for i, s := range steps {
		g.Go(func() error {
			defer close(done[s])
			wait := needs[s]
			if p.cfg.Sequential && i > 0 {
				wait = []StepName{steps[i-1]}
			}
			for _, n := range wait {
				if ch, ok := done[n]; ok {
					select {
					case <-ch:
					case <-ctx.Done():
					}
				}
			}
			reports[i] = p.runStep(ctx, r, s)
			why := reports[i].Outcome
			if e := reports[i].Error; e != "" {
				why += ": " + e
			}
			r.mu.Lock()
			r.outcomes[s] = why
			r.mu.Unlock()
			return nil
		})
	}
	_ = g.Wait() // steps report their errors; none is returned

	rep := &Report{
		Config:     p.cfg.String(),
		Decision:   r.decision,
		Reasons:    r.reasons,
		Steps:      reports,
		Liveness:   r.liveness,
		Document:   r.doc,
		Validation: r.validation,
		FaceMatch:  r.match,
		Age:        r.age,
		KYA:        r.kya,
		Rules:      r.rules,
		Scoring:    r.scoring,
		StartedAt:  r.start,
	}
	if r.scoring != nil {
		rep.Score = r.scoring.Score
	}
	if rep.Age != nil && r.validation != nil {
		rep.Age.DocumentAge = r.validation.Document.Age
	}
	if rep.Reasons == nil {
		rep.Reasons = []string{}
	}
	rep.DurationMS = ms(time.Since(r.mono))
	return rep, ctx.Err()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// runStep runs one step, turning a panic in a backend into a step error:
// one broken backend must not take the process down.
func (p *Pipeline) runStep(ctx context.Context, r *run, s StepName) (rep StepReport) {
	t0 := time.Now()
	rep = StepReport{Name: s, StartMS: ms(t0.Sub(r.mono))}
	defer func() {
		if v := recover(); v != nil {
			p.log.Error("workflow: step panicked", "step", s, "panic", v, "stack", string(debug.Stack()))
			rep.Status, rep.Outcome, rep.Error = StepError, "the step crashed", fmt.Sprint(v)
		}
		rep.DurationMS = ms(time.Since(t0))
	}()
	if err := ctx.Err(); err != nil {
		rep.Status, rep.Outcome, rep.Error = StepSkipped, "the request was cancelled before the step started", err.Error()
		return rep
	}
	if p.cfg.FailFast && r.hard.Load() && s != StepRules && s != StepScore {
		rep.Status, rep.Outcome = StepSkipped, "skipped: an earlier step found a hard failure (fail_fast)"
		return rep
	}
	o := p.stepFunc(s)(ctx, r)
	rep.Status, rep.Outcome, rep.Input = o.status, o.text, o.input
	if o.err != nil {
		rep.Status, rep.Error = StepError, o.err.Error()
		p.log.Debug("workflow: step error", "step", s, "err", o.err)
	}
	if o.hardHit {
		r.hard.Store(true)
	}
	return rep
}

func imageSize(img image.Image) string {
	if img == nil {
		return "none"
	}
	b := img.Bounds()
	return fmt.Sprintf("%dx%d", b.Dx(), b.Dy())
}
