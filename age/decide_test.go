package age

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func est(a, sd, conf float64) Estimate {
	e := Estimate{Age: a, StdDev: sd, Confidence: conf, Views: 1}
	e.Low, e.High = Range(a, sd)
	return e
}

func TestDecideChallenge25(t *testing.T) {
	p := Policy{Threshold: 18, Challenge: 25}
	cases := []struct {
		name string
		e    Estimate
		want Outcome
	}{
		{"clearly adult", est(34, 3, 0.9), Above},
		{"exactly at challenge", est(25, 3, 0.9), Above},
		{"adult-looking under challenge", est(23, 3, 0.9), NeedsDocument},
		{"near threshold", est(17, 2, 0.9), NeedsDocument},
		{"upper end crosses threshold", est(14.5, 2, 0.9), NeedsDocument},
		{"clearly a child", est(11, 2, 0.9), Below},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Decide(c.e, p)
			require.NoError(t, err)
			assert.Equal(t, c.want, d.Outcome)
			assert.NotEmpty(t, d.Reason)
			require.NotNil(t, d.Age)
			assert.Equal(t, c.e.Age, *d.Age)
			assert.Equal(t, 25.0, d.Challenge)
		})
	}
}

func TestDecideNeedsDocumentCarriesReason(t *testing.T) {
	d, err := Decide(est(21.3, 2.5, 0.8), Policy{Threshold: 18, Challenge: 25})
	require.NoError(t, err)
	assert.Equal(t, NeedsDocument, d.Outcome)
	assert.Contains(t, d.Reason, "21.3")
	assert.Contains(t, d.Reason, "challenge age 25")
}

func TestDecideLowConfidenceNeedsDocument(t *testing.T) {
	d, err := Decide(est(40, 9, 0.3), Policy{Threshold: 18, Challenge: 25, MinConfidence: 0.6})
	require.NoError(t, err)
	assert.Equal(t, NeedsDocument, d.Outcome)
	assert.Contains(t, d.Reason, "confidence")
}

func TestDecideThresholdOnlyRevealsNoAge(t *testing.T) {
	d, err := Decide(est(31.7, 3, 0.9), Policy{Threshold: 18, Challenge: 25, ThresholdOnly: true})
	require.NoError(t, err)
	assert.Equal(t, Above, d.Outcome)
	assert.Nil(t, d.Age)
	assert.Nil(t, d.StdDev)
	assert.NotContains(t, d.Reason, "31")
}

func TestDecideNoBufferAndBadPolicies(t *testing.T) {
	d, err := Decide(est(19, 2, 0.9), Policy{Threshold: 18})
	require.NoError(t, err)
	assert.Equal(t, Above, d.Outcome, "challenge defaults to the threshold")

	for _, p := range []Policy{{}, {Threshold: -1}, {Threshold: math.NaN()}, {Threshold: 21, Challenge: 18}} {
		_, err := Decide(est(30, 2, 1), p)
		assert.Error(t, err, "%+v", p)
	}
	for _, e := range []Estimate{{Age: math.NaN()}, {Age: -3}, {Age: 20, StdDev: -1}, {Age: math.Inf(1)}} {
		_, err := Decide(e, Policy{Threshold: 18})
		assert.Error(t, err, "%+v", e)
	}
}

// TestDecideRefusesNonFinite: NaN compares false with everything, so a NaN
// confidence once slipped past the floor (Above on the face alone) and a
// NaN spread was not refused.
func TestDecideRefusesNonFinite(t *testing.T) {
	p := Policy{Threshold: 18, Challenge: 25, MinConfidence: 0.55}
	nan, inf := math.NaN(), math.Inf(1)
	for _, e := range []Estimate{
		{Age: 40, StdDev: 2, Confidence: nan},
		{Age: 40, StdDev: nan, Confidence: 0.9},
		{Age: 11, StdDev: nan, Confidence: 0.9},
		{Age: 40, StdDev: inf, Confidence: 0.9},
		{Age: 40, StdDev: 2, Confidence: inf},
		{Age: 40, StdDev: 2, Confidence: -0.1},
		{Age: 40, StdDev: 2, Confidence: 7}, // a confidence is at most 1
	} {
		d, err := Decide(e, p)
		assert.Error(t, err, "%+v gave %s", e, d.Outcome)
	}
	for _, bad := range []Policy{{Threshold: 18, MinConfidence: nan}, {Threshold: 18, MinConfidence: 55}, {Threshold: 18, Challenge: nan}, {Threshold: inf}} {
		_, err := Decide(est(40, 2, 0.9), bad)
		assert.Error(t, err, "%+v", bad)
	}
}

func TestMajority(t *testing.T) {
	cases := []struct {
		country, sub string
		want         int
		known        bool
	}{
		{"FRA", "", 18, true},
		{"civ", "", 18, true},
		{"KOR", "", 19, true},
		{"SGP", "", 21, true},
		{"USA", "AL", 19, true},
		{"USA", "MS", 21, true},
		{"USA", "CA", 18, true},
		{"USA", "", 18, false}, // a US passport: the state, and so the age, is a guess
		{"USA", "ZZ", 18, false},
		{"USA", "PR", 21, true},
		{"CAN", "BC", 19, true},
		{"CAN", "ON", 18, true},
		{"CAN", "", 18, false},
		{"", "", 18, false},
		{"12X", "", 18, false},
		// ICAO 9303 codes for a country: Germany's letter (with and
		// without fillers), the British nationality codes, Kosovo.
		{"D", "", 18, true},
		{"D<<", "", 18, true},
		{"GBD", "", 18, true},
		{"GBN", "", 18, true},
		{"GBO", "", 18, true},
		{"GBP", "", 18, true},
		{"GBS", "", 18, true},
		{"RKS", "", 18, true},
		// UNK, the UNMIK document of a resident of Kosovo, names a
		// mission, not a country, yet Kosovo's age applies.
		{"UNK", "", 18, true},
		// Any three letters once counted as a country of majority 18.
		{"ZZZ", "", 18, false},
		{"FRX", "", 18, false},
		{"DEU ", "", 18, true},
		// ICAO codes that name no country: organisations, stateless
		// persons and refugees, unspecified; and the specimens' Utopia.
		{"UNO", "", 18, false},
		{"UNA", "", 18, false},
		{"EUE", "", 18, false},
		{"XXA", "", 18, false},
		{"XXB", "", 18, false},
		{"XXC", "", 18, false},
		{"XXX", "", 18, false},
		{"UTO", "", 18, false},
	}
	for _, c := range cases {
		got, known := Majority(c.country, c.sub)
		assert.Equal(t, c.want, got, "%s/%s", c.country, c.sub)
		assert.Equal(t, c.known, known, "%s/%s", c.country, c.sub)
		m := LookupMajority(c.country, c.sub)
		assert.Equal(t, MajorityAge{Years: got, Known: known, Max: m.Max, Reason: m.Reason}, m, "%s/%s", c.country, c.sub)
		if known {
			assert.Equal(t, got, m.Max, "%s/%s: a known age is its own maximum", c.country, c.sub)
		}
		assert.NotEmpty(t, m.Reason, "%s/%s", c.country, c.sub)
	}
}

// TestLookupMajorityRange: a guess says how high the age it stands for
// could be, so that a holder between the two is not simply passed.
func TestLookupMajorityRange(t *testing.T) {
	for _, c := range []struct {
		country, sub string
		max          int
	}{
		{"USA", "", 21}, // Mississippi, Puerto Rico
		{"USA", "ZZ", 21},
		{"CAN", "", 19}, // seven provinces and territories
		{"UNO", "", 21}, // any country
		{"ZZZ", "", 21},
		{"", "", 21},
		{"DEU", "", 18},
		{"UNK", "", 18}, // Kosovo's, known
		{"USA", "AL", 19},
	} {
		assert.Equal(t, c.max, LookupMajority(c.country, c.sub).Max, "%s/%s", c.country, c.sub)
	}
}

// TestLookupMajorityReasons: a guessed age says why it is a guess, and a
// known one where it comes from.
func TestLookupMajorityReasons(t *testing.T) {
	for _, c := range []struct{ country, sub, reason string }{
		{"ZZZ", "", `"ZZZ" is not an ISO 3166-1 alpha-3 or ICAO 9303 country code; 18, the most common age of majority, is a guess`},
		{"UNO", "", "UNO (United Nations Organization) names no country, so no country's age of majority applies; 18"},
		{"XXA", "", "XXA (Stateless person (1954 Convention)) names no country"},
		{"UTO", "", "UTO is the Utopia of specimens"},
		{"", "", "no country was given"},
		{"USA", "", "the United States set the age of majority by state, and the document names no state; 18, the most common age of majority, is a guess"},
		{"USA", "ZZ", `"ZZ" is no state code`},
		{"CAN", "", "the document names no province"},
		{"D", "", "18, the age of majority in Germany (D)"},
		{"GBN", "", "18, the age of majority in United Kingdom (GBN)"},
		{"SGP", "", "21, the age of majority in Singapore"},
		{"RKS", "", "18, the age of majority in Kosovo"},
		{"UNK", "", "18, the age of majority in Kosovo (UNK, the UNMIK travel document of a resident of Kosovo)"},
		{"USA", "MS", "21, the age of majority in MS, United States"},
	} {
		assert.Contains(t, LookupMajority(c.country, c.sub).Reason, c.reason, "%s/%s", c.country, c.sub)
	}
}
