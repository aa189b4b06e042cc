package docvalidate_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/docvalidate"
)

// FuzzValidate feeds arbitrary zones: Validate must never panic, every
// check must carry a known status and a reason, and the verdict must follow
// the checks.
func FuzzValidate(f *testing.F) {
	f.Add("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
		"Eriksson", "Anna María", "L898902C3", "1974-08-12", "2012-04-15", "F", "UTO", "")
	f.Add("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
		"", "", "", "1974", "", "", "", "")
	f.Add("", "Sample", "", "T64235789", "2008-02-29", "2031-02-30", "X", "USA",
		"@\n\x1e\rANSI 636033100001DL00310100DLDAQT64235789\nDCSSAMPLE\nDBB02292008\nDBA12102028\nDAJAL\r")
	f.Add("<<<\n<<<", "ß", "ǅ", "<<<<", "0000-00-00", "9999-99", "<", "D<<", "@")
	v, err := docvalidate.New(docvalidate.Config{Now: func() time.Time { return refDay }, Majority: majority})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, mrzText, surname, given, number, birth, expiry, sex, country, barcode string) {
		in := docvalidate.Input{BarcodePayload: barcode, Visual: &docvalidate.Fields{
			Surname: surname, GivenNames: given, DocumentNumber: number, BirthDate: birth, ExpiryDate: expiry,
			Sex: sex, IssuingCountry: country, Nationality: country}}
		if mrzText != "" {
			in.MRZLines = strings.Split(mrzText, "\n")
		}
		r := v.Validate(in)
		failed := false
		for _, c := range r.Checks {
			assert.Contains(t, []docvalidate.Status{docvalidate.Pass, docvalidate.Fail, docvalidate.Warn, docvalidate.Skip}, c.Status)
			assert.NotEmpty(t, c.Reason, c.Name)
			failed = failed || c.Status == docvalidate.Fail
		}
		assert.Equal(t, !failed, r.DocumentValid)
		assert.True(t, r.Confidence >= 0 && r.Confidence <= 1, "confidence %v", r.Confidence)
	})
}
