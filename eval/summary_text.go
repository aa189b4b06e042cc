package eval

// MRZPrediction is what the per-item function of `eval mrz` returns.
type MRZPrediction struct {
	Lines         []string // the zone as read, one string per line
	ValidChecksum bool     // every check digit of what was read is right
}

// MRZReport is the result of `idkit eval mrz`. A failure to find or read
// the zone is the error being measured, so failed items count as read
// wrong (no lines, no valid checksum) in every rate.
type MRZReport struct {
	N                 int    `json:"n"`
	Read              int    `json:"read"` // items that gave lines without error
	ExactRate         Number `json:"exact_rate"`
	CharAccuracy      Number `json:"char_accuracy"`
	ValidChecksumRate Number `json:"valid_checksum_rate"`
	MSPerImage        Number `json:"ms_per_image"`
	MSPerImageMean    Number `json:"ms_per_image_mean"`
	MSPerImageP95     Number `json:"ms_per_image_p95"`

	RunInfo
}

// SummarizeMRZ computes the MRZ report.
func SummarizeMRZ(set *Set[MRZItem], outcomes []Outcome[MRZItem, MRZPrediction], stats RunStats) *MRZReport {
	r := &MRZReport{RunInfo: NewRunInfo(set, outcomes, stats), N: len(outcomes)}
	truth := make([][]string, len(outcomes))
	pred := make([][]string, len(outcomes))
	valid := 0
	for i, o := range outcomes {
		truth[i] = o.Item.Lines
		if o.Err != nil {
			continue
		}
		r.Read++
		pred[i] = o.Result.Lines
		if o.Result.ValidChecksum {
			valid++
		}
	}
	exact, err := ExactRate(truth, pred)
	r.Note("exact_rate", err)
	r.ExactRate = NumOf(exact, err)
	chars, err := CharAccuracy(truth, pred)
	r.CharAccuracy = NumOf(chars, err)
	if r.N > 0 {
		r.ValidChecksumRate = Num(float64(valid) / float64(r.N))
	}
	r.MSPerImage, r.MSPerImageMean, r.MSPerImageP95 = timingOf(outcomes, &r.RunInfo)
	return r
}

// Sections lays the report out for people.
func (r *MRZReport) Sections() []Section {
	main := Section{Title: "mrz", Rows: [][]string{
		{"n", itoa(r.N)},
		{"read", itoa(r.Read)},
		{"exact_rate", r.ExactRate.Format(4), "all lines right"},
		{"char_accuracy", r.CharAccuracy.Format(4), "1 − edits/characters"},
		{"valid_checksum_rate", r.ValidChecksumRate.Format(4)},
		{"ms_per_image", r.MSPerImage.Format(1), "median; mean " + r.MSPerImageMean.Format(1) + ", p95 " + r.MSPerImageP95.Format(1)},
	}}
	return append([]Section{main}, r.RunInfo.Sections()...)
}

// AAMVAPrediction is what the per-item function of `eval aamva` returns:
// the decoded fields by element ID, nil when nothing was decoded.
type AAMVAPrediction struct {
	Fields map[string]string
}

// AAMVAReport is the result of `idkit eval aamva`. Failed items count as
// not decoded, with every expected field wrong.
type AAMVAReport struct {
	N                    int             `json:"n"`
	Decoded              int             `json:"decoded"`
	DecodedRate          Number          `json:"decoded_rate"`
	FieldAccuracy        Number          `json:"field_accuracy"` // right fields / expected fields
	FieldAccuracyByField map[string]Rate `json:"field_accuracy_by_field"`
	MSPerImage           Number          `json:"ms_per_image"`
	MSPerImageMean       Number          `json:"ms_per_image_mean"`
	MSPerImageP95        Number          `json:"ms_per_image_p95"`

	RunInfo
}

// SummarizeAAMVA computes the AAMVA report.
func SummarizeAAMVA(set *Set[AAMVAItem], outcomes []Outcome[AAMVAItem, AAMVAPrediction], stats RunStats) *AAMVAReport {
	r := &AAMVAReport{RunInfo: NewRunInfo(set, outcomes, stats), N: len(outcomes)}
	truth := make([]map[string]string, len(outcomes))
	pred := make([]map[string]string, len(outcomes))
	for i, o := range outcomes {
		truth[i] = o.Item.Fields
		if o.Err == nil && len(o.Result.Fields) > 0 {
			r.Decoded++
			pred[i] = o.Result.Fields
		}
	}
	if r.N > 0 {
		r.DecodedRate = Num(float64(r.Decoded) / float64(r.N))
	}
	overall, byField, err := FieldAccuracy(truth, pred)
	r.Note("field_accuracy", err)
	if v, ok := overall.Value(); ok {
		r.FieldAccuracy = Num(v)
	}
	r.FieldAccuracyByField = byField
	r.MSPerImage, r.MSPerImageMean, r.MSPerImageP95 = timingOf(outcomes, &r.RunInfo)
	return r
}

// Sections lays the report out for people.
func (r *AAMVAReport) Sections() []Section {
	main := Section{Title: "aamva", Rows: [][]string{
		{"n", itoa(r.N)},
		{"decoded", itoa(r.Decoded)},
		{"decoded_rate", r.DecodedRate.Format(4)},
		{"field_accuracy", r.FieldAccuracy.Format(4), "right fields / expected fields"},
		{"ms_per_image", r.MSPerImage.Format(1), "median; mean " + r.MSPerImageMean.Format(1) + ", p95 " + r.MSPerImageP95.Format(1)},
	}}
	fields := Section{Title: "by field", Header: []string{"field", "right", "expected", "accuracy"}}
	for _, k := range sortedKeys(r.FieldAccuracyByField) {
		f := r.FieldAccuracyByField[k]
		fields.Rows = append(fields.Rows, []string{k, itoa(f.Num), itoa(f.Den), pct(f)})
	}
	secs := []Section{main}
	if len(fields.Rows) > 0 {
		secs = append(secs, fields)
	}
	return append(secs, r.RunInfo.Sections()...)
}

var (
	_ Report = (*AgeReport)(nil)
	_ Report = (*LivenessReport)(nil)
	_ Report = (*VerifyReport)(nil)
	_ Report = (*MRZReport)(nil)
	_ Report = (*AAMVAReport)(nil)
)
