package liveness

import (
	"context"
	"errors"
	"image"
	"time"
)

// Frame is one captured frame of an active check and the time the client
// captured it.
type Frame struct {
	Image image.Image
	At    time.Time
}

// Embedder turns an aligned face (face.Align, 112x112) into a vector
// compared by cosine similarity; the active verifier uses it to check that
// one person is present throughout. facematch's embedder fits through
// EmbedderFunc.
type Embedder interface {
	Embed(ctx context.Context, aligned image.Image) ([]float32, error)
}

// EmbedderFunc adapts a function to Embedder.
type EmbedderFunc func(ctx context.Context, aligned image.Image) ([]float32, error)

// Embed calls f.
func (f EmbedderFunc) Embed(ctx context.Context, aligned image.Image) ([]float32, error) {
	return f(ctx, aligned)
}

// Reason says why an active check failed.
type Reason string

// Failure reasons; ActiveResult.Err maps each to a sentinel error.
const (
	ReasonBadToken        Reason = "bad_token"
	ReasonExpired         Reason = "expired"
	ReasonReplayed        Reason = "replayed"
	ReasonFrameCount      Reason = "frame_count"
	ReasonBadTiming       Reason = "bad_timing"
	ReasonNoFace          Reason = "no_face"
	ReasonMultipleFaces   Reason = "multiple_faces"
	ReasonDiscontinuous   Reason = "discontinuous"
	ReasonDifferentPerson Reason = "different_person"
	ReasonActionMissing   Reason = "action_missing"
	ReasonOutOfOrder      Reason = "out_of_order"
)

// Sentinel errors for the failure reasons beside the challenge errors
// (ErrBadToken, ErrExpired, ErrReplayed).
var (
	ErrFrameCount      = errors.New("liveness: too few or too many frames")
	ErrBadTiming       = errors.New("liveness: frame timestamps not plausible")
	ErrFrameNoFace     = errors.New("liveness: a frame has no face")
	ErrFrameMultiple   = errors.New("liveness: a frame has more than one face")
	ErrDiscontinuous   = errors.New("liveness: the face jumps between frames")
	ErrDifferentPerson = errors.New("liveness: not the same person in every frame")
	ErrActionMissing   = errors.New("liveness: a requested action was not performed")
	ErrOutOfOrder      = errors.New("liveness: actions performed out of order")
)

// ActiveResult is the outcome of an active check.
type ActiveResult struct {
	Passed bool `json:"passed"`
	// Reason and Detail say why it failed ("" when passed).
	Reason Reason `json:"reason,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Nonce and Actions are the challenge's, when its token was valid.
	Nonce   string   `json:"nonce,omitempty"`
	Actions []Action `json:"actions,omitempty"`
	// Performed lists each requested action and the frame it was seen in,
	// as far as the check got.
	Performed []ActionResult `json:"performed"`
	// ReferenceFrame is the frame the others are compared with (the first):
	// the one to match against an identity document.
	ReferenceFrame int `json:"reference_frame"`
	// SamePerson reports the identity check; nil when no Embedder is
	// configured (then only the continuity of the face box is checked).
	SamePerson *SamePerson `json:"same_person,omitempty"`
	// Frames is the number of frames received.
	Frames       int       `json:"frames"`
	ProcessingMS float64   `json:"processing_ms"`
	Warnings     []Warning `json:"warnings"`
}

// ActionResult is one requested action and where it was seen.
type ActionResult struct {
	Action Action `json:"action"`
	Done   bool   `json:"done"`
	// Frame is the index of the frame that completed the action, -1 if none.
	Frame int `json:"frame"`
}

// SamePerson is the identity check across frames.
type SamePerson struct {
	// Frames are the frames compared with the reference: every action's
	// frame and the last one.
	Frames []int `json:"frames"`
	// MinSimilarity is the lowest cosine similarity with the reference.
	MinSimilarity float64 `json:"min_similarity"`
	Threshold     float64 `json:"threshold"`
}

// Err returns the sentinel error of the failure, nil when passed.
func (r *ActiveResult) Err() error {
	switch r.Reason {
	case "":
		return nil
	case ReasonBadToken:
		return ErrBadToken
	case ReasonExpired:
		return ErrExpired
	case ReasonReplayed:
		return ErrReplayed
	case ReasonFrameCount:
		return ErrFrameCount
	case ReasonBadTiming:
		return ErrBadTiming
	case ReasonNoFace:
		return ErrFrameNoFace
	case ReasonMultipleFaces:
		return ErrFrameMultiple
	case ReasonDiscontinuous:
		return ErrDiscontinuous
	case ReasonDifferentPerson:
		return ErrDifferentPerson
	case ReasonActionMissing:
		return ErrActionMissing
	case ReasonOutOfOrder:
		return ErrOutOfOrder
	}
	return errors.New("liveness: active check failed: " + string(r.Reason))
}
