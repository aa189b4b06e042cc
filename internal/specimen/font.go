package specimen

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

const mrzAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// ErrNoFont means the OCR-B font is not installed (Debian: fonts-ocr-b).
var ErrNoFont = errors.New("specimen: OCR-B font not found; install Debian's fonts-ocr-b")

// EnvFont names an environment variable that overrides the OCR-B font path.
const EnvFont = "IDKIT_OCRB_FONT"

// debianOCRB is where Debian's fonts-ocr-b puts the font.
const debianOCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"

// FontPath finds the OCR-B font: $IDKIT_OCRB_FONT, Debian's path, then
// fontconfig (`fc-match -f '%{file}' 'OCR B'`).
func FontPath() (string, error) {
	if p := os.Getenv(EnvFont); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w: %s=%s: %v", ErrNoFont, EnvFont, p, err)
		}
		return p, nil
	}
	if _, err := os.Stat(debianOCRB); err == nil {
		return debianOCRB, nil
	}
	out, err := exec.Command("fc-match", "-f", "%{file}", "OCR B").Output()
	if err == nil {
		p := strings.TrimSpace(string(out))
		if strings.Contains(strings.ToLower(p), "ocr") {
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
		}
	}
	return "", ErrNoFont
}

// fonts holds the parsed fonts of one render (parsing takes well under a
// millisecond, so nothing is cached between renders).
type fonts struct {
	// ocrb is OCR-B; sharp is its "sharp" cut from the same family, used
	// for the glyphs Go's CFF parser cannot draw from ocrb: Debian's
	// OCRB.otf draws "8" and "<" with the flex1 operator, which
	// golang.org/x/image/font/sfnt does not implement.
	ocrb, sharp   *opentype.Font
	regular, bold *opentype.Font
	// fallback lists the MRZ characters drawn from sharp.
	fallback map[rune]bool
}

func loadFonts() (*fonts, error) {
	p, err := FontPath()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoFont, err)
	}
	f := &fonts{}
	if f.ocrb, err = opentype.Parse(data); err != nil {
		return nil, fmt.Errorf("specimen: %s: %w", p, err)
	}
	f.fallback = map[rune]bool{}
	var buf sfnt.Buffer
	for _, r := range mrzAlphabet {
		i, err := f.ocrb.GlyphIndex(&buf, r)
		if err == nil && i != 0 {
			_, err = f.ocrb.LoadGlyph(&buf, i, fixed.I(100), nil)
		}
		if err != nil || i == 0 {
			f.fallback[r] = true
		}
	}
	if len(f.fallback) > 0 {
		sp := filepath.Join(filepath.Dir(p), "OCRBS.otf")
		data, err := os.ReadFile(sp)
		if err != nil {
			return nil, fmt.Errorf("%w: %s cannot draw %d MRZ characters and its sharp cut is missing: %v", ErrNoFont, p, len(f.fallback), err)
		}
		if f.sharp, err = opentype.Parse(data); err != nil {
			return nil, fmt.Errorf("specimen: %s: %w", sp, err)
		}
	}
	if f.regular, err = opentype.Parse(goregular.TTF); err != nil {
		return nil, err
	}
	if f.bold, err = opentype.Parse(gobold.TTF); err != nil {
		return nil, err
	}
	return f, nil
}

func newFace(f *opentype.Font, sizePx float64) (font.Face, error) {
	return opentype.NewFace(f, &opentype.FaceOptions{Size: sizePx, DPI: 72, Hinting: font.HintingNone})
}
