package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/ocr/local"
)

// idkit doc FRONT [BACK] reads an identity document and prints the
// ocr.Document as JSON.

func runDoc(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("doc", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	modelsDir := fs.String("models", "", "models directory (default: $IDKIT_MODELS, ./models/cache, user cache)")
	draw := fs.String("draw", "", "write each image with what was found (document, MRZ, barcode, photo) to this PNG (an index is added for two)")
	hint := fs.String("hint", "auto", "document_hint: auto, passport, id_card, driver_license, residence_permit, visa")
	country := fs.String("country", "auto", "country_hint: auto or an ISO 3166-1 alpha-3 code (FRA, USA, CIV...)")
	visualOCR := fs.String("visual-ocr", "paddle", "engine of the visual zone: paddle (PaddleOCR, more accurate) or tesseract (twice as fast)")
	langs := fs.String("lang", "eng", "Tesseract languages of the visual zone with --visual-ocr tesseract, joined by + (installed tesseract-ocr-* packages)")
	noVisual := fs.Bool("no-visual", false, "skip OCR of the visual zone (faster; type and fields from the MRZ or barcode only)")
	noFace := fs.Bool("no-face", false, "skip the face crop")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: idkit doc [flags] FRONT [BACK]\n\nReads a passport, ID card or licence photo; prints JSON.\n\nflags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(err.Error())
	}
	if len(pos) < 1 || len(pos) > 2 {
		return usageError("usage: idkit doc [flags] FRONT [BACK]")
	}
	vo, err := visualOCRFlag(*visualOCR)
	if err != nil {
		return err
	}
	var imgs []*image.RGBA
	for _, p := range pos {
		img, _, err := imageio.ReadFile(p, imageio.Limits{})
		if err != nil {
			return err // imageio names the file
		}
		imgs = append(imgs, img)
	}
	r, err := local.New(local.Config{Models: models.Open(*modelsDir), VisualOCR: vo, Languages: []string{*langs}, PoolSize: 1, NoFaces: *noFace})
	if err != nil {
		return err
	}
	defer r.Close()
	req := ocr.Request{Front: imgs[0], DocumentHint: ocr.DocumentType(*hint), CountryHint: *country,
		SkipVisual: *noVisual, SkipFace: *noFace}
	if len(imgs) == 2 {
		req.Back = imgs[1]
	}
	doc, err := r.Read(ctx, req)
	if err != nil {
		if errors.Is(err, ocr.ErrHint) {
			return usageError(err.Error())
		}
		return err
	}
	if *draw != "" {
		for i, img := range imgs {
			if err := drawDocument(drawPath(*draw, i, len(imgs)), img, doc, i); err != nil {
				return err
			}
		}
	}
	return writeJSON(env.stdout, doc)
}

// drawDocument writes a PNG copy of side i with the document outline
// (green), the MRZ (blue), the barcode (magenta) and the holder's photo
// (yellow).
func drawDocument(path string, img *image.RGBA, doc *ocr.Document, side int) error {
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	t := max(2, img.Rect.Dx()/400)
	if side < len(doc.Sides) && doc.Sides[side].Document != nil {
		quad(out, *doc.Sides[side].Document, t, color.RGBA{0, 200, 0, 255})
	}
	if m := doc.MRZ; m != nil && m.Side == side {
		c := color.RGBA{0, 90, 255, 255}
		if !m.Valid {
			c = color.RGBA{255, 40, 40, 255}
		}
		quad(out, m.Quad, t, c)
	}
	if b := doc.Barcode; b != nil && b.Side == side && b.Quad != nil {
		quad(out, *b.Quad, t, color.RGBA{220, 0, 220, 255})
	}
	if fb := doc.Images.FaceBox; fb != nil && side == 0 {
		rect(out, image.Rect(fb.X1, fb.Y1, fb.X2, fb.Y2), t, color.RGBA{255, 220, 0, 255})
	}
	return savePNG(path, out)
}

// quad draws the four sides of q.
func quad(img *image.RGBA, q ocr.Quad, t int, c color.RGBA) {
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		n := int(math.Hypot(b.X-a.X, b.Y-a.Y)) + 1
		for k := 0; k <= n; k++ {
			x := a.X + (b.X-a.X)*float64(k)/float64(n)
			y := a.Y + (b.Y-a.Y)*float64(k)/float64(n)
			for dy := -t / 2; dy <= t/2; dy++ {
				for dx := -t / 2; dx <= t/2; dx++ {
					img.SetRGBA(int(x)+dx, int(y)+dy, c)
				}
			}
		}
	}
}

// visualOCRFlag turns --visual-ocr into ocr/local's engine name.
func visualOCRFlag(v string) (local.VisualOCR, error) {
	switch v {
	case "paddle", "":
		return local.VisualPaddle, nil
	case "tesseract":
		return local.VisualTesseract, nil
	}
	return "", usageError(fmt.Sprintf("--visual-ocr %q: want paddle or tesseract", v))
}
