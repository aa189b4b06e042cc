package age

import (
	"context"
	"image"

	"github.com/idkit-dev/idkit/face"
)

// FrameEmbedder returns an embedding of the face in a frame, used to check
// that every frame of a session shows the same person (facematch provides
// one).
type FrameEmbedder func(ctx context.Context, img image.Image, f face.Face) ([]float32, error)

// SessionConfig configures EstimateSession.
type SessionConfig struct {
	// Quality are the capture limits a frame must meet to be used.
	Quality face.QualityConfig
	// Aggregate configures how frames are combined.
	Aggregate AggregateOptions
	// Embed, when set, checks that all frames show one person. Without it a
	// session could mix an adult's frames with a child's: set it in
	// production.
	Embed FrameEmbedder
}

// FrameReport says what happened to one frame of a session.
type FrameReport struct {
	Index    int         `json:"index"`
	Usable   bool        `json:"usable"`
	Codes    []face.Code `json:"codes,omitempty"`
	Estimate *Estimate   `json:"estimate,omitempty"`
	Error    string      `json:"error,omitempty"`
}

// frameBlockers are the capture problems that make a frame's age estimate
// unreliable; framing problems such as a face near an edge do not.
var frameBlockers = map[face.Code]bool{
	face.NoFace: true, face.MultipleFaces: true, face.TooFar: true,
	face.TooBlurry: true, face.TooDim: true, face.TooBright: true,
	face.FaceTurned: true, face.FaceLookingUpDn: true,
}

// EstimateSession estimates one age from the frames of a capture session:
// each frame's face is found and its capture checked, usable frames are
// estimated (and embedded when cfg.Embed is set), and Aggregate combines
// them. It returns ErrTooFewFrames or ErrDifferentPeople rather than decide
// on too little or on a mix of people; the reports say what each frame gave.
func EstimateSession(ctx context.Context, d face.Detector, e Estimator, frames []image.Image, cfg SessionConfig) (Estimate, []FrameReport, error) {
	reports := make([]FrameReport, len(frames))
	var fs []Frame
	for i, img := range frames {
		r := &reports[i]
		r.Index = i
		faces, err := d.Detect(ctx, img)
		if err != nil {
			return Estimate{}, reports, err
		}
		q := face.Assess(img, faces, cfg.Quality)
		r.Codes = q.Codes
		blocked := false
		for _, c := range q.Codes {
			blocked = blocked || frameBlockers[c]
		}
		if blocked || q.Face == nil {
			fs = append(fs, Frame{})
			continue
		}
		est, err := e.Estimate(ctx, img, *q.Face)
		if err != nil {
			if ctx.Err() != nil {
				return Estimate{}, reports, ctx.Err()
			}
			r.Error = err.Error()
			fs = append(fs, Frame{})
			continue
		}
		fr := Frame{Estimate: est, Usable: true}
		if cfg.Embed != nil {
			emb, err := cfg.Embed(ctx, img, *q.Face)
			if err != nil {
				r.Error = err.Error()
				fs = append(fs, Frame{})
				continue
			}
			fr.Embedding = emb
		}
		r.Usable, r.Estimate = true, &est
		fs = append(fs, fr)
	}
	agg, err := Aggregate(fs, cfg.Aggregate)
	return agg, reports, err
}
