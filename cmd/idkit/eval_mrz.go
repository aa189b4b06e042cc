package main

import (
	"context"
	"errors"

	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/ocr/local"
)

// idkit eval mrz DIR: find and read the MRZ of each labelled photo
// (labels.jsonl: {"file":…,"mrz":[…]}) with the document reader's MRZ path:
// document outline, perspective correction, zone search, Tesseract OCR-B,
// mrz.Repair. A photo where no zone is read counts as read wrong.

func runEvalMRZ(ctx context.Context, env *cliEnv, args []string) error {
	ef := newEvalFlags(env, "mrz", `images + labels.jsonl ({"file":…,"mrz":["line1","line2"]})`)
	modelsDir := ef.fs.String("models", "", "models directory")
	dir, err := ef.parse(args)
	if err != nil {
		return err
	}
	set, err := eval.ReadMRZLabels(dir)
	if err != nil {
		return err
	}
	// The MRZ alone is read: no visual-zone engine to load beyond Tesseract.
	r, err := local.New(local.Config{Models: models.Open(*modelsDir), PoolSize: ef.workers, NoFaces: true, VisualOCR: local.VisualTesseract})
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.Warm(ctx); err != nil {
		return err
	}
	out, stats, runErr := evalRun(ctx, env, ef, set.Items,
		func(ctx context.Context, it eval.MRZItem) (eval.MRZPrediction, error) {
			img, _, err := imageio.ReadFile(it.Path, imageio.Limits{})
			if err != nil {
				return eval.MRZPrediction{}, err
			}
			m, err := r.ReadMRZ(ctx, img)
			if err != nil {
				return eval.MRZPrediction{}, err
			}
			return eval.MRZPrediction{Lines: m.Lines, ValidChecksum: m.Valid}, nil
		}, classifyDocError)
	return ef.finish(env, eval.SummarizeMRZ(set, out, stats), set.Missing, runErr)
}

// classifyDocError maps document-reading errors to eval codes.
func classifyDocError(err error) string {
	switch {
	case errors.Is(err, ocr.ErrNoMRZ):
		return "no_mrz"
	case errors.Is(err, ocr.ErrImage):
		return "bad_image"
	}
	return classifyImageError(err)
}
