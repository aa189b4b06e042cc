package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/models"
)

type faceReport struct {
	File    string       `json:"file"`
	Image   imageio.Info `json:"image"`
	Faces   []face.Face  `json:"faces"`
	Quality face.Quality `json:"quality"`
	Error   string       `json:"error,omitempty"`
}

func runFace(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("face", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	modelsDir := fs.String("models", "", "models directory (default: $IDKIT_MODELS, ./models/cache, user cache)")
	draw := fs.String("draw", "", "write the image with boxes and landmarks to this PNG (an index is added for several images)")
	threshold := fs.Float64("threshold", 0, fmt.Sprintf("detection score threshold (default %.2f)", faceonnx.DefaultThreshold))
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(err.Error())
	}
	if len(files) == 0 {
		return usageError("usage: idkit face [--draw OUT.png] IMAGE...")
	}
	if !(*threshold >= 0 && *threshold <= 1) {
		return usageError("--threshold must be within 0–1 (0: the default)")
	}
	a, err := faceonnx.New(faceonnx.Config{Models: models.Open(*modelsDir), Threshold: *threshold, Pose: true, Eyes: true})
	if err != nil {
		return err
	}
	defer a.Close()
	var reports []faceReport
	failed := 0
	for i, file := range files {
		if ctx.Err() != nil {
			break
		}
		r := faceReport{File: file, Faces: []face.Face{}}
		img, info, err := imageio.ReadFile(file, imageio.Limits{})
		r.Image = info
		if err == nil {
			r.Faces, err = a.Detect(ctx, img)
		}
		if err != nil {
			r.Error = err.Error()
			failed++
			reports = append(reports, r)
			continue
		}
		r.Quality = face.Assess(img, r.Faces, face.QualityConfig{})
		if *draw != "" {
			if err := drawFaces(drawPath(*draw, i, len(files)), img, r.Faces); err != nil {
				return err
			}
		}
		reports = append(reports, r)
	}
	if err := writeJSON(env.stdout, reports); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return errInterrupted
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d images could not be analysed", failed, len(reports))
	}
	return nil
}
