package eval

import "fmt"

// AgePrediction is what the per-item function of `eval age` returns: the
// estimate for the face, and the policy's decision when a policy is set.
type AgePrediction struct {
	Age      float64     // estimated age, years
	Decision AgeDecision // "" when no policy is evaluated
}

// AgePolicy is the threshold T and challenge age C of an age check (for
// example T=18, C=25: above 25 passes, below needs a document).
type AgePolicy struct {
	Threshold float64
	Challenge float64
}

// AgeReport is the result of `idkit eval age`. Items with an error (no face)
// are counted in N and NoFace/Errors but have no estimate, so they are left
// out of every error and policy metric.
type AgeReport struct {
	N          int         `json:"n"`         // items run
	NoFace     int         `json:"no_face"`   // items where no face was found
	Estimated  int         `json:"estimated"` // items with an estimate
	MAE        Number      `json:"mae"`       // years
	Bias       Number      `json:"bias"`      // mean estimate − truth, years
	MAEByBand  NamedValues `json:"mae_by_band"`
	BiasByBand NamedValues `json:"bias_by_band"`
	NByBand    NamedValues `json:"n_by_band"`

	Threshold        *float64 `json:"threshold,omitempty"`
	Challenge        *float64 `json:"challenge,omitempty"`
	MinorsPassedRate *Rate    `json:"minors_passed_rate,omitempty"` // true age < T decided above
	AdultsPassedRate *Rate    `json:"adults_passed_rate,omitempty"` // true age ≥ C decided above
	MinorsCount      *int     `json:"minors,omitempty"`             // estimated items with true age < T
	AdultsCount      *int     `json:"adults_over_challenge,omitempty"`

	MSPerImage     Number `json:"ms_per_image"` // median over items run
	MSPerImageMean Number `json:"ms_per_image_mean"`
	MSPerImageP95  Number `json:"ms_per_image_p95"`

	RunInfo
}

// SummarizeAge computes the age report; policy may be nil. With a policy,
// every estimated item must carry a decision.
func SummarizeAge(set *Set[AgeItem], outcomes []Outcome[AgeItem, AgePrediction], stats RunStats, policy *AgePolicy) (*AgeReport, error) {
	r := &AgeReport{RunInfo: NewRunInfo(set, outcomes, stats), N: len(outcomes)}
	r.NoFace = r.Errors["no_face"]
	var truth, pred []float64
	var decisions []AgeDecision
	for _, o := range outcomes {
		if o.Err != nil {
			continue
		}
		truth = append(truth, o.Item.Age)
		pred = append(pred, o.Result.Age)
		if policy != nil {
			if o.Result.Decision == "" {
				return nil, fmt.Errorf("eval: %s:%d: no decision although a policy is set", set.LabelFile, o.Item.Line)
			}
			decisions = append(decisions, o.Result.Decision)
		}
	}
	r.Estimated = len(truth)
	mae, err := MAE(truth, pred)
	r.Note("mae", err)
	r.MAE = NumOf(mae, err)
	bias, err := MeanSignedError(truth, pred)
	r.Bias = NumOf(bias, err)

	bands := DefaultAgeBands()
	stats2, err := AgeErrorsByBand(truth, pred, bands)
	if err != nil { // empty: report every band as absent
		stats2 = make([]BandStat, len(bands))
		for i := range bands {
			stats2[i].Band = bands[i]
		}
	}
	for _, b := range stats2 {
		ok := b.N > 0
		r.MAEByBand = append(r.MAEByBand, Named{b.Band.Name, Number{b.MAE, ok}})
		r.BiasByBand = append(r.BiasByBand, Named{b.Band.Name, Number{b.Bias, ok}})
		r.NByBand = append(r.NByBand, Named{b.Band.Name, Num(float64(b.N))})
	}

	if policy != nil {
		t, c := policy.Threshold, policy.Challenge
		r.Threshold, r.Challenge = &t, &c
		minors, adults, err := AgePolicyRates(truth, decisions, t, c)
		if err != nil && len(truth) > 0 {
			return nil, err
		}
		r.Note("policy", err)
		r.MinorsPassedRate, r.AdultsPassedRate = &minors, &adults
		r.MinorsCount, r.AdultsCount = &minors.Den, &adults.Den
	}
	r.MSPerImage, r.MSPerImageMean, r.MSPerImageP95 = timingOf(outcomes, &r.RunInfo)
	return r, nil
}

// Sections lays the report out for people.
func (r *AgeReport) Sections() []Section {
	main := Section{Title: "age", Rows: [][]string{
		{"n", itoa(r.N)},
		{"no_face", itoa(r.NoFace)},
		{"estimated", itoa(r.Estimated)},
		{"mae", r.MAE.Format(2)},
		{"bias", signed(r.Bias, 2)},
	}}
	if r.Threshold != nil {
		main.Rows = append(main.Rows,
			[]string{"threshold", Num(*r.Threshold).Format(1)},
			[]string{"challenge", Num(*r.Challenge).Format(1)},
			[]string{"minors_passed_rate", pct(*r.MinorsPassedRate), fmt.Sprintf("%d of %d under %g", r.MinorsPassedRate.Num, r.MinorsPassedRate.Den, *r.Threshold)},
			[]string{"adults_passed_rate", pct(*r.AdultsPassedRate), fmt.Sprintf("%d of %d at or over %g", r.AdultsPassedRate.Num, r.AdultsPassedRate.Den, *r.Challenge)},
		)
	}
	main.Rows = append(main.Rows,
		[]string{"ms_per_image", r.MSPerImage.Format(1), "median; mean " + r.MSPerImageMean.Format(1) + ", p95 " + r.MSPerImageP95.Format(1)},
	)
	bands := Section{Title: "by true age", Header: []string{"band", "n", "mae", "bias"}}
	for i := range r.MAEByBand {
		bands.Rows = append(bands.Rows, []string{
			r.MAEByBand[i].Name, r.NByBand[i].Value.Format(0),
			r.MAEByBand[i].Value.Format(2), signed(r.BiasByBand[i].Value, 2),
		})
	}
	return append([]Section{main, bands}, r.RunInfo.Sections()...)
}
