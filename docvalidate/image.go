package docvalidate

import (
	"fmt"
	"strings"
)

// Check names for the photo of the document.
const (
	CheckImageCorners   = "image_corners"
	CheckImageGlare     = "image_glare"
	CheckImageSharpness = "image_sharpness"
)

func (v *Validator) imageChecks(img *Image) []Check {
	corners := Check{Name: CheckImageCorners}
	glare := Check{Name: CheckImageGlare}
	sharp := Check{Name: CheckImageSharpness}
	if img == nil {
		for _, c := range []*Check{&corners, &glare, &sharp} {
			c.Status, c.Reason = Skip, "the reader reported no image measures"
		}
		return []Check{corners, glare, sharp}
	}
	t := v.cfg.Image
	// A measure outside 0–1 (or NaN) is a reader bug: skip, never pass.
	badGlare, badSharp := insane(img.Glare), insane(img.Sharpness)
	img = sane(img)

	switch n := img.CornersVisible; {
	case n == nil:
		corners.Status, corners.Reason = Skip, "the reader did not locate the document's corners"
	case *n >= 4:
		corners.Status, corners.Reason = Pass, "all four corners are in the frame"
	default:
		// A cut document may hide a field or a tampered edge: ask for
		// another photo rather than trust the part seen.
		corners.Status = Fail
		corners.Reason = fmt.Sprintf("the document is cropped: %d of 4 corners in the frame", max(*n, 0))
	}
	if img.CornersVisible != nil {
		corners.Details = map[string]any{"corners_visible": *img.CornersVisible}
	}

	switch g := img.Glare; {
	case g == nil && len(img.GlareFields) == 0:
		glare.Status, glare.Reason = Skip, "the reader did not measure glare"
		if badGlare {
			glare.Reason = "the reader's glare measure is not a number in 0–1"
		}
	case g != nil && *g > t.GlareFail:
		glare.Status = Fail
		glare.Reason = fmt.Sprintf("glare covers %.0f%% of the document, more than %.0f%%", *g*100, t.GlareFail*100)
	case g != nil && *g > t.GlareWarn || len(img.GlareFields) > 0:
		glare.Status = Warn
		glare.Reason = "glare over part of the document"
		if g != nil {
			glare.Reason = fmt.Sprintf("glare covers %.0f%% of the document", *g*100)
		}
		if len(img.GlareFields) > 0 {
			glare.Reason += ": " + strings.Join(img.GlareFields, ", ")
		}
	default:
		glare.Status = Pass
		glare.Reason = fmt.Sprintf("glare covers %.0f%% of the document, at most %.0f%%", *g*100, t.GlareWarn*100)
	}
	if img.Glare != nil || len(img.GlareFields) > 0 {
		glare.Details = map[string]any{}
		if img.Glare != nil {
			glare.Details["glare"] = *img.Glare
		}
		if len(img.GlareFields) > 0 {
			glare.Details["fields"] = img.GlareFields
		}
	}

	switch s := img.Sharpness; {
	case s == nil:
		sharp.Status, sharp.Reason = Skip, "the reader did not measure sharpness"
		if badSharp {
			sharp.Reason = "the reader's sharpness measure is not a number in 0–1"
		}
	case *s < t.SharpnessFail:
		sharp.Status = Fail
		sharp.Reason = fmt.Sprintf("the photo is too blurred to trust: sharpness %.2f < %.2f", *s, t.SharpnessFail)
	case *s < t.SharpnessWarn:
		sharp.Status = Warn
		sharp.Reason = fmt.Sprintf("the photo is somewhat blurred: sharpness %.2f < %.2f", *s, t.SharpnessWarn)
	default:
		sharp.Status = Pass
		sharp.Reason = fmt.Sprintf("sharp enough: %.2f ≥ %.2f", *s, t.SharpnessWarn)
	}
	if img.Sharpness != nil {
		sharp.Details = map[string]any{"sharpness": *img.Sharpness}
	}
	return []Check{corners, glare, sharp}
}

func insane(f *float64) bool { return f != nil && !(*f >= 0 && *f <= 1) }

// sane returns a copy of img with out-of-range measures removed.
func sane(img *Image) *Image {
	c := *img
	if insane(c.Glare) {
		c.Glare = nil
	}
	if insane(c.Sharpness) {
		c.Sharpness = nil
	}
	return &c
}
