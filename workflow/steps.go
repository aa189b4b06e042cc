package workflow

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/kya"
)

func stepLiveness(ctx context.Context, r *run) outcome {
	b := r.p.b.Liveness
	in := map[string]any{"selfie": imageSize(r.req.Selfie)}
	switch {
	case b == nil:
		return skipped("no liveness checker is configured")
	case r.req.Selfie == nil:
		return skipped("no selfie was given")
	}
	res, err := b.CheckLiveness(ctx, r.req.Selfie)
	if err != nil {
		return outcome{input: in, text: "liveness could not be checked", err: err}
	}
	r.liveness = &res
	o := outcome{input: in}
	thr := r.p.cfg.Thresholds.Liveness
	switch {
	case !res.IsLive:
		o.status, o.hardHit = StepFailed, true
		o.text = fmt.Sprintf("spoof detected (%s), confidence %.2f", orUnknown(res.SpoofType), res.Confidence)
	case thr > 0 && res.Confidence < thr:
		o.status = StepFailed
		o.text = fmt.Sprintf("live, but confidence %.2f < %.2f threshold", res.Confidence, thr)
	default:
		o.status, o.text = StepPassed, fmt.Sprintf("live, confidence %.2f", res.Confidence)
	}
	return o
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func stepOCR(ctx context.Context, r *run) outcome {
	if d := r.req.Document; d != nil {
		r.doc = &Document{Type: d.Type, Country: d.Country, Confidence: d.Confidence, Validation: *d, FaceCrop: r.req.DocumentPhoto}
		return outcome{status: StepPassed, text: "document fields were given directly; nothing to read",
			input: map[string]any{"fields": "given", "document_photo": imageSize(r.req.DocumentPhoto)}}
	}
	in := map[string]any{"front": imageSize(r.req.DocumentFront), "back": imageSize(r.req.DocumentBack)}
	switch {
	case r.p.b.Reader == nil:
		return skipped("no document reader is configured")
	case r.req.DocumentFront == nil:
		return skipped("no document photo was given")
	}
	doc, err := r.p.b.Reader.ReadDocument(ctx, r.req.DocumentFront, r.req.DocumentBack)
	if err != nil {
		return outcome{input: in, text: "the document could not be read", err: err}
	}
	r.doc = &doc
	v := doc.Validation
	var found []string
	if len(v.MRZLines) > 0 {
		found = append(found, "MRZ")
	}
	if v.BarcodePayload != "" || v.Barcode != nil {
		found = append(found, "barcode")
	}
	if v.Visual != nil {
		found = append(found, "visual zone")
	}
	if doc.FaceCrop != nil {
		found = append(found, "holder photo")
	}
	what := strings.TrimSpace(orUnknown(doc.Type) + " " + doc.Country)
	if len(found) == 0 || len(found) == 1 && doc.FaceCrop != nil {
		return outcome{status: StepFailed, input: in,
			text: fmt.Sprintf("no document fields could be read (%s)", strings.Join(doc.Notes, ", "))}
	}
	text := fmt.Sprintf("%s, confidence %.2f; read: %s", what, doc.Confidence, strings.Join(found, ", "))
	if len(doc.Notes) > 0 {
		text += "; notes: " + strings.Join(doc.Notes, ", ")
	}
	return outcome{status: StepPassed, input: in, text: text}
}

// hardChecks are the document checks whose failure is a hard rule:
// whatever the arithmetic, such a document is refused.
var hardChecks = map[string]string{
	docvalidate.CheckExpiryDate: "document_expired",
	docvalidate.CheckMajority:   "holder_minor",
	docvalidate.CheckMRZFormat:  "mrz_invalid",
}

// hardCode returns the hard-fail code of a failed document check, or "".
func hardCode(name string) string {
	if c, ok := hardChecks[name]; ok {
		return c
	}
	if strings.HasPrefix(name, docvalidate.CheckMRZDigitPrefix) || name == docvalidate.CheckMRZComposite {
		return "mrz_checksum"
	}
	return ""
}

func stepValidate(_ context.Context, r *run) outcome {
	if r.doc == nil {
		return skipped("no document was read")
	}
	v := r.doc.Validation // a copy
	// The document is judged on the pipeline's clock: a ReferenceDate in
	// the request (Request.Document is API input) or from a reader would
	// let the caller choose the day expiry and age are judged on.
	v.ReferenceDate = r.start
	in := map[string]any{"mrz_lines": len(v.MRZLines), "barcode": v.BarcodePayload != "" || v.Barcode != nil,
		"visual": v.Visual != nil, "image_measures": v.Image != nil}
	rep := r.p.b.Validator.Validate(v)
	r.validation = &rep
	count := map[docvalidate.Status]int{}
	for _, c := range rep.Checks {
		count[c.Status]++
	}
	summary := fmt.Sprintf("%d checks: %d pass, %d fail, %d warn, %d skip", len(rep.Checks),
		count[docvalidate.Pass], count[docvalidate.Fail], count[docvalidate.Warn], count[docvalidate.Skip])
	if rep.DocumentValid {
		return outcome{status: StepPassed, input: in, text: "document valid; " + summary}
	}
	o := outcome{status: StepFailed, input: in}
	var reasons []string
	for _, c := range rep.Failed() {
		reasons = append(reasons, c.Reason)
		o.hardHit = o.hardHit || hardCode(c.Name) != ""
	}
	o.text = "document invalid: " + strings.Join(reasons, "; ") + " (" + summary + ")"
	return o
}

func stepFaceMatch(ctx context.Context, r *run) outcome {
	in := map[string]any{"selfie": imageSize(r.req.Selfie)}
	switch {
	case r.p.b.Matcher == nil:
		return skipped("no face matcher is configured")
	case r.req.Selfie == nil:
		return skipped("no selfie was given")
	case r.doc == nil:
		return skipped("no document was read")
	}
	in["document_photo"] = imageSize(r.doc.FaceCrop)
	if r.doc.FaceCrop == nil {
		return outcome{status: StepError, input: in, text: "no holder photo was found on the document"}
	}
	m, err := r.p.b.Matcher.MatchFaces(ctx, r.req.Selfie, r.doc.FaceCrop)
	if err != nil {
		return outcome{input: in, text: "the faces could not be compared", err: err}
	}
	if t := r.p.cfg.Thresholds.FaceMatch; t > 0 {
		m.Threshold, m.Match = t, m.Similarity >= t
	}
	r.match = &m
	if m.Match {
		return outcome{status: StepPassed, input: in, text: fmt.Sprintf("same person: similarity %.2f ≥ %.2f threshold", m.Similarity, m.Threshold)}
	}
	return outcome{status: StepFailed, input: in, hardHit: true,
		text: fmt.Sprintf("not the same person: similarity %.2f < %.2f threshold", m.Similarity, m.Threshold)}
}

func stepAge(ctx context.Context, r *run) outcome {
	in := map[string]any{"selfie": imageSize(r.req.Selfie)}
	switch {
	case r.p.b.Age == nil:
		return skipped("no age estimator is configured")
	case r.req.Selfie == nil:
		return skipped("no selfie was given")
	}
	e, err := r.p.b.Age.EstimateAge(ctx, r.req.Selfie)
	if err != nil {
		return outcome{input: in, text: "the age could not be estimated", err: err}
	}
	res := &AgeResult{Estimate: e}
	r.age = res
	text := fmt.Sprintf("estimated %.1f ± %.1f (confidence %.2f)", e.Age, e.StdDev, e.Confidence)
	pol := r.p.cfg.Thresholds.Age
	if pol.Threshold <= 0 {
		return outcome{status: StepPassed, input: in, text: text}
	}
	d, err := age.Decide(e, pol.policy())
	if err != nil {
		return outcome{input: in, text: text, err: err}
	}
	res.Decision = &d
	st := StepPassed
	if d.Outcome == age.Below {
		st = StepFailed
	}
	return outcome{status: st, input: in, text: fmt.Sprintf("%s: %s", d.Outcome, d.Reason)}
}

func stepKYA(ctx context.Context, r *run) outcome {
	p := r.req.Profile
	in := map[string]any{"email": p.Email != "", "phone": p.Phone != "", "ip": p.IP != "", "name": p.Name != ""}
	if s := r.validation; s != nil {
		d := s.Document
		if d.Surname != "" {
			p.DocumentName = d.Surname
			if d.GivenNames != "" {
				p.DocumentName += ", " + d.GivenNames
			}
		}
		if p.Country == "" && d.Country != "" {
			p.Country, in["country"] = d.Country, "from the document"
		}
	}
	rep, err := r.p.b.Profile.Check(ctx, p)
	if err != nil {
		return outcome{input: in, text: "the profile checks could not run", err: err}
	}
	r.kya = &rep
	if !rep.Measured {
		return outcome{status: StepSkipped, input: in, text: "no profile data was given: " + rep.Summary()}
	}
	for _, c := range rep.Checks {
		if c.Status == kya.Fail {
			return outcome{status: StepFailed, input: in, text: rep.Summary()}
		}
	}
	return outcome{status: StepPassed, input: in, text: rep.Summary()}
}

func stepRules(ctx context.Context, r *run) outcome {
	if len(r.p.rules) == 0 {
		return skipped("no rules are configured")
	}
	vars := r.variables()
	keys := make([]string, 0, len(vars))
	for k, v := range vars {
		if len(v.(map[string]any)) > 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	in := map[string]any{"rules": len(r.p.rules), "variables": keys}
	r.rules = evalRules(ctx, r.p.rules, vars)
	var failed, flagged []string
	for _, res := range r.rules {
		if res.Status == "pass" {
			continue
		}
		if res.Action == ActionFlag {
			flagged = append(flagged, res.Name)
		} else {
			failed = append(failed, res.Name)
		}
	}
	text := fmt.Sprintf("%d of %d rules hold", len(r.rules)-len(failed)-len(flagged), len(r.rules))
	if len(flagged) > 0 {
		text += "; flagged: " + strings.Join(flagged, ", ")
	}
	if len(failed) > 0 {
		return outcome{status: StepFailed, input: in, text: text + "; not holding: " + strings.Join(failed, ", ")}
	}
	return outcome{status: StepPassed, input: in, text: text}
}

// variables builds the CEL variables from what the steps found.
func (r *run) variables() map[string]any {
	doc, ageV, live, match, k, prof := map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}
	if r.doc != nil {
		setStr(doc, "type", r.doc.Type)
		setStr(doc, "country", r.doc.Country)
		doc["reader_confidence"] = r.doc.Confidence
	}
	if v := r.validation; v != nil {
		d := v.Document
		for k, s := range map[string]string{"type": d.Type, "country": d.Country, "subdivision": d.Subdivision,
			"number": d.DocumentNumber, "surname": d.Surname, "given_names": d.GivenNames, "nationality": d.Nationality,
			"sex": d.Sex, "birth_date": d.BirthDate, "expiry_date": d.ExpiryDate, "issue_date": d.IssueDate} {
			setStr(doc, k, s)
		}
		if d.Age != nil {
			doc["age"] = *d.Age
			ageV["document"] = *d.Age
		}
		if d.MajorityAge != nil {
			doc["majority_age"] = *d.MajorityAge
		}
		doc["expired"], doc["valid"], doc["specimen"], doc["confidence"] = d.Expired, v.DocumentValid, d.Specimen, v.Confidence
		checks := map[string]any{}
		failed := []any{}
		for _, c := range v.Checks {
			checks[c.Name] = string(c.Status)
			if c.Status == docvalidate.Fail {
				failed = append(failed, c.Name)
			}
		}
		doc["checks"], doc["failed"] = checks, failed
	}
	if a := r.age; a != nil {
		e := a.Estimate
		ageV["estimate"], ageV["std_dev"], ageV["low"], ageV["high"], ageV["confidence"] = e.Age, e.StdDev, e.Low, e.High, e.Confidence
		if a.Decision != nil {
			ageV["outcome"] = string(a.Decision.Outcome)
		}
	}
	if l := r.liveness; l != nil {
		live["is_live"], live["spoof_type"], live["confidence"] = l.IsLive, l.SpoofType, l.Confidence
	}
	if m := r.match; m != nil {
		match["match"], match["similarity"], match["threshold"] = m.Match, m.Similarity, m.Threshold
	}
	if kr := r.kya; kr != nil {
		checks := map[string]any{}
		for _, c := range kr.Checks {
			checks[c.Name] = string(c.Status)
		}
		k["score"], k["measured"], k["checks"] = kr.Score, kr.Measured, checks
	}
	p := r.req.Profile
	for k, s := range map[string]string{"email": p.Email, "phone": p.Phone, "ip": p.IP, "country": p.Country, "name": p.Name} {
		setStr(prof, k, s)
	}
	return map[string]any{"document": doc, "age": ageV, "liveness": live, "face_match": match, "kya": k, "profile": prof}
}

func setStr(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}
