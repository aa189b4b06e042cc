package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/idkit-dev/idkit/facematch"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/models"
)

// idkit match A B compares two faces. A and B are images, or templates
// written by --save-a/--save-b (recognised by their content).

type matchReport struct {
	facematch.Result
	FileA string `json:"file_a"`
	FileB string `json:"file_b"`
}

// matchSide is one argument of idkit match: an image or a template.
type matchSide struct {
	file     string
	face     int
	document bool
	save     string
	template *facematch.Embedding
	probe    facematch.Probe
	info     *facematch.FaceInfo
}

// load reads the file as a template when it is one, else decodes it.
func (s *matchSide) load() error {
	data, err := os.ReadFile(s.file)
	if err != nil {
		return err
	}
	if bytes.HasPrefix(data, []byte(facematch.TemplateMagic)) {
		t, err := facematch.ParseTemplate(data)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		s.template = &t
		return nil
	}
	img, _, err := imageio.DecodeBytes(data, imageio.Limits{})
	if err != nil {
		return fmt.Errorf("%s: %w", s.file, err)
	}
	s.probe = facematch.Probe{Image: img, Face: s.face, Document: s.document}
	return nil
}

func runMatch(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: idkit match A B [flags]\n\nA and B are images (JPEG, PNG, WebP) or templates saved with --save-a/--save-b.\nPrints {match, similarity, threshold, cosine, a, b} as JSON.\n\nflags:\n")
		fs.PrintDefaults()
	}
	modelsDir := fs.String("models", "", "models directory (default: $IDKIT_MODELS, ./models/cache, user cache)")
	threshold := fs.Float64("threshold", facematch.DefaultThreshold, "similarity (0–1) at or above which the faces match")
	network := fs.String("network", string(facematch.DefaultNetwork), "embedding network: mobilefacenet+faceapi (the default), mobilefacenet or fr_feature (templates from one are refused by the others)")
	flip := fs.Bool("flip", false, "average the embeddings of each face and its mirror image (with --network mobilefacenet or fr_feature; twice the time; templates differ)")
	var a, b matchSide
	fs.IntVar(&a.face, "face-a", 0, "face to use in A when it has several, largest first")
	fs.IntVar(&b.face, "face-b", 0, "face to use in B when it has several, largest first")
	fs.BoolVar(&a.document, "document-a", false, "A is a photo of an identity document or of its portrait")
	fs.BoolVar(&b.document, "document-b", false, "B is a photo of an identity document or of its portrait")
	fs.StringVar(&a.save, "save-a", "", "write A's template to this file")
	fs.StringVar(&b.save, "save-b", "", "write B's template to this file")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the usage was printed
	}
	if err != nil {
		return usageError(err.Error())
	}
	if len(pos) != 2 {
		return usageError("usage: idkit match A B [--threshold T]")
	}
	if !(*threshold >= 0 && *threshold <= 1) {
		return usageError("--threshold must be within 0–1")
	}
	if a.face < 0 || b.face < 0 {
		return usageError("--face-a and --face-b must not be negative")
	}
	// Every network New can load has a calibration.
	if _, err := facematch.NetworkCalibration(facematch.Network(*network)); err != nil {
		return usageError(fmt.Sprintf("--network %q: want mobilefacenet+faceapi, mobilefacenet or fr_feature", *network))
	}
	if *flip && facematch.Network(*network) == facematch.MobileFaceNetFaceAPI {
		return usageError("--flip needs a single network: --network mobilefacenet or fr_feature")
	}
	a.file, b.file = pos[0], pos[1]
	for _, s := range []*matchSide{&a, &b} {
		if err := s.load(); err != nil {
			return err
		}
	}
	m, err := facematch.New(facematch.Config{Models: models.Open(*modelsDir), Network: facematch.Network(*network), Flip: *flip, Threshold: *threshold})
	if err != nil {
		return err
	}
	defer m.Close()
	for _, s := range []*matchSide{&a, &b} {
		if s.template != nil {
			continue
		}
		e, info, err := m.Enroll(ctx, s.probe)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		s.template, s.info = &e, &info
		if s.save != "" {
			data, err := e.MarshalBinary()
			if err != nil {
				return err
			}
			if err := os.WriteFile(s.save, data, 0o600); err != nil {
				return err
			}
		}
	}
	// WithThreshold, because Config.Threshold 0 means the default and
	// --threshold 0 means "accept every pair".
	r, err := m.CompareTemplates(*a.template, *b.template, facematch.WithThreshold(*threshold))
	if err != nil {
		return err // a template from another model: *facematch.ModelMismatchError
	}
	r.A, r.B = a.info, b.info
	return writeJSON(env.stdout, matchReport{Result: r, FileA: a.file, FileB: b.file})
}
