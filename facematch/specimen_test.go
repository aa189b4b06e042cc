package facematch

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
)

// photographedPassport renders a TD3 passport with holder as its photo and
// photographs it as a phone would (internal/specimen), skipping the test
// when the OCR-B font the renderer needs is not installed.
func photographedPassport(t *testing.T, holder string, seed uint64) *specimen.Document {
	t.Helper()
	f := mrz.Fields{Format: mrz.TD3, DocumentCode: "P", IssuingState: "UTO", Nationality: "UTO",
		Surname: "SPECIMEN", GivenNames: "HOLDER", DocumentNumber: "L898902C3",
		BirthDate: mrz.NewDate(1961, 8, 4), Sex: mrz.Male, ExpiryDate: mrz.NewDate(2031, 4, 15)}
	doc, err := specimen.Render(specimen.Spec{Fields: f, Face: fixture(t, holder), Seed: int64(seed)})
	if errors.Is(err, specimen.ErrNoFont) {
		t.Skipf("specimen renderer: %v", err)
	}
	require.NoError(t, err)
	doc.Front = specimen.Photograph(doc.Front, specimen.Realistic(seed), seed)
	return doc
}

// TestSpecimenPassports matches selfies against photographed specimen
// passports whose portrait is another photo of the holder.
func TestSpecimenPassports(t *testing.T) {
	m := newMatcher(t, Config{})
	ctx := context.Background()
	person := func(name string) string { return name[:4] }
	selfies := append(append([]string{}, obamas...), others...)
	for i, holder := range []string{obamas[2], obamas[0], others[2]} {
		doc := photographedPassport(t, holder, uint64(11+i))
		d, info, err := m.Enroll(ctx, Probe{Image: doc.Front, Document: true})
		require.NoError(t, err, "passport of %s", holder)
		t.Logf("passport of %s: face %.0f px in a %v photo", holder, info.Box.H(), doc.Front.Rect.Size())
		for _, selfie := range selfies {
			if selfie == holder {
				continue
			}
			e, _, err := m.Enroll(ctx, Probe{Image: fixture(t, selfie)})
			require.NoError(t, err)
			r, err := m.CompareTemplates(e, d)
			require.NoError(t, err)
			t.Logf("  selfie %-36s similarity %.3f", selfie, r.Similarity)
			assert.Equal(t, person(selfie) == person(holder), r.Match, "passport of %s, selfie %s: %.3f", holder, selfie, r.Similarity)
		}
	}
}
