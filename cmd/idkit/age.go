package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/age/ageonnx"
	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/faceapi"
)

type ageReport struct {
	File     string        `json:"file"`
	Estimate *age.Estimate `json:"estimate,omitempty"`
	Decision *age.Decision `json:"decision,omitempty"`
	Face     *face.Face    `json:"face,omitempty"`
	Error    string        `json:"error,omitempty"`
	Code     string        `json:"code,omitempty"`
}

// ageFlags are the policy flags idkit age and idkit eval age share.
type ageFlags struct {
	threshold, challenge, minConfidence float64
}

func (a *ageFlags) register(fs *flag.FlagSet, defaultThreshold float64) {
	fs.Float64Var(&a.threshold, "threshold", defaultThreshold, "age threshold T (0: no decision)")
	fs.Float64Var(&a.challenge, "challenge", age.Challenge25.Challenge, "challenge age C: the face alone passes at C or more")
	fs.Float64Var(&a.minConfidence, "min-confidence", age.Challenge25.MinConfidence, "least estimate confidence for a decision on the face alone")
}

// policy is the policy the flags describe, nil for --threshold 0 (no
// decision). It refuses a policy age.Decide would refuse on every image, so
// the mistake is a usage error before any model loads rather than an
// all-null report (or, for infinities, JSON that cannot be written).
func (a *ageFlags) policy() (*age.Policy, error) {
	if !(a.minConfidence >= 0 && a.minConfidence <= 1) {
		return nil, usageError(fmt.Sprintf("--min-confidence %v: want a number between 0 and 1", a.minConfidence))
	}
	if a.threshold == 0 {
		return nil, nil
	}
	if !(a.threshold > 0) || math.IsInf(a.threshold, 0) {
		return nil, usageError(fmt.Sprintf("--threshold %v: want a positive finite age (0: no decision)", a.threshold))
	}
	if a.challenge == 0 {
		a.challenge = a.threshold // as age.Policy reads it: no buffer
	}
	if !(a.challenge >= a.threshold) || math.IsInf(a.challenge, 0) {
		return nil, usageError(fmt.Sprintf("--challenge %v: want a finite age at or above --threshold %v", a.challenge, a.threshold))
	}
	return &age.Policy{Threshold: a.threshold, Challenge: a.challenge, MinConfidence: a.minConfidence}, nil
}

// newAgeModels loads the face analyzer and the age estimator from one
// models directory.
func newAgeModels(dir string) (*faceonnx.Analyzer, *ageonnx.FaceAPI, error) {
	cache := convert.Open(dir, faceapi.AgeGender())
	fa, err := faceonnx.New(faceonnx.Config{Models: cache})
	if err != nil {
		return nil, nil, err
	}
	est, err := ageonnx.New(ageonnx.Config{Models: cache})
	if err != nil {
		fa.Close()
		return nil, nil, err
	}
	return fa, est, nil
}

// faceErrorCode names the typed face errors for JSON output and eval.
func faceErrorCode(err error) string {
	switch {
	case errors.Is(err, face.ErrNoFace):
		return "no_face"
	case errors.Is(err, face.ErrMultipleFaces):
		return "multiple_faces"
	case errors.Is(err, face.ErrFaceTooSmall):
		return "face_too_small"
	case errors.Is(err, imageio.ErrCorrupt), errors.Is(err, imageio.ErrUnsupported), errors.Is(err, imageio.ErrEmpty):
		return "bad_image"
	case errors.Is(err, imageio.ErrTooLarge):
		return "image_too_large"
	}
	return ""
}

func runAge(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("age", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	modelsDir := fs.String("models", "", "models directory (default: $IDKIT_MODELS, ./models/cache, user cache)")
	draw := fs.String("draw", "", "write the image with the face box and landmarks to this PNG")
	thresholdOnly := fs.Bool("threshold-only", false, "privacy mode: report the decision, never the estimated age")
	var af ageFlags
	af.register(fs, age.Challenge25.Threshold)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(err.Error())
	}
	if len(files) == 0 {
		return usageError("usage: idkit age [--threshold 18 --challenge 25] [--threshold-only] IMAGE...")
	}
	policy, err := af.policy()
	if err != nil {
		return err
	}
	if *thresholdOnly && policy == nil {
		return usageError("--threshold-only needs --threshold")
	}
	fa, est, err := newAgeModels(*modelsDir)
	if err != nil {
		return err
	}
	defer fa.Close()
	defer est.Close()
	var reports []ageReport
	failed := 0
	for i, file := range files {
		if ctx.Err() != nil {
			break
		}
		r := ageReport{File: file}
		img, _, err := imageio.ReadFile(file, imageio.Limits{})
		var res age.Result
		if err == nil {
			res, err = age.EstimateImage(ctx, fa, est, img)
		}
		if err != nil {
			r.Error, r.Code = err.Error(), faceErrorCode(err)
			failed++
			reports = append(reports, r)
			continue
		}
		r.Face = &res.Face
		if policy != nil {
			p := *policy
			p.ThresholdOnly = *thresholdOnly
			d, err := age.Decide(res.Estimate, p)
			if err != nil {
				return usageError(err.Error())
			}
			r.Decision = &d
		}
		if !*thresholdOnly {
			r.Estimate = &res.Estimate
		}
		if *draw != "" {
			if err := drawFaces(drawPath(*draw, i, len(files)), img, []face.Face{res.Face}); err != nil {
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
		return fmt.Errorf("%d of %d images had no usable face", failed, len(reports))
	}
	return nil
}
