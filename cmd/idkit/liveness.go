package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"image"
	"strings"
	"time"

	"github.com/idkit-dev/idkit/facematch"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/liveness"
	"github.com/idkit-dev/idkit/models"
)

// idkit liveness IMAGE... runs the passive check on each photo and prints
// the results as JSON. With --active ACTIONS the images are instead the
// frames of one challenge-response sequence (in order, --interval apart):
// a challenge for ACTIONS is issued and verified on the spot, with
// facematch's embedder checking that one person is present throughout.

type livenessReport struct {
	File   string           `json:"file"`
	Image  imageio.Info     `json:"image"`
	Result *liveness.Result `json:"result,omitempty"`
	Error  string           `json:"error,omitempty"`
}

func runLiveness(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("liveness", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	modelsDir := fs.String("models", "", "models directory (default: $IDKIT_MODELS, ./models/cache, user cache)")
	threshold := fs.Float64("threshold", 0, "decision threshold on the fused score (default: the fitted one)")
	diag := fs.Bool("diagnostics", false, "also measure the unscored cues (detail, border)")
	active := fs.String("active", "", "verify the images as the frames of one active check for these comma-separated actions (blink,turn_left,turn_right,look_up,smile,stop_smiling)")
	interval := fs.Duration("interval", 300*time.Millisecond, "with --active: time between frames")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(err.Error())
	}
	if len(files) == 0 {
		return usageError("usage: idkit liveness [--threshold T] IMAGE...  |  idkit liveness --active blink,turn_left FRAME...")
	}
	if !(*threshold >= 0 && *threshold <= 1) {
		return usageError("--threshold must be between 0 and 1")
	}
	cache := models.Open(*modelsDir)
	if *active != "" {
		return runLivenessActive(ctx, env, cache, *active, *interval, files)
	}
	chk, err := newPassiveChecker(cache, *diag, *threshold)
	if err != nil {
		return err
	}
	defer chk.Close()
	var reports []livenessReport
	failed := 0
	for _, file := range files {
		if ctx.Err() != nil {
			break
		}
		r := livenessReport{File: file}
		img, info, err := imageio.ReadFile(file, imageio.Limits{})
		r.Image = info
		if err == nil {
			r.Result, err = chk.Check(ctx, img)
		}
		if err != nil {
			r.Error = err.Error()
			failed++
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
		return fmt.Errorf("%d of %d images could not be checked", failed, len(reports))
	}
	return nil
}

func runLivenessActive(ctx context.Context, env *cliEnv, cache *models.Cache, list string, interval time.Duration, files []string) error {
	if interval <= 0 {
		return usageError("--interval must be positive")
	}
	var actions []liveness.Action
	for _, a := range strings.Split(list, ",") {
		actions = append(actions, liveness.Action(strings.TrimSpace(a)))
	}
	key := make([]byte, liveness.MinKeyLen)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	// The frames are stamped as if captured --interval apart up to now, and
	// the challenge as if issued when the first one was.
	start := time.Now().Add(-time.Duration(len(files)-1) * interval)
	iss, err := liveness.NewIssuer(liveness.IssuerConfig{Key: key, Now: func() time.Time { return start }})
	if err != nil {
		return err
	}
	ch, err := iss.IssueActions(actions)
	if err != nil {
		return usageError(err.Error())
	}
	emb, err := facematch.NewONNX(facematch.ONNXConfig{Models: cache})
	if err != nil {
		return err
	}
	defer emb.Close()
	v, err := liveness.NewVerifier(liveness.VerifierConfig{
		Issuer: iss, Models: cache,
		Embedder: liveness.EmbedderFunc(func(ctx context.Context, aligned image.Image) ([]float32, error) {
			e, err := emb.Embed(ctx, aligned)
			return e.Vector, err
		}),
	})
	if err != nil {
		return err
	}
	defer v.Close()
	frames := make([]liveness.Frame, len(files))
	for i, file := range files {
		img, _, err := imageio.ReadFile(file, imageio.Limits{})
		if err != nil {
			return err // imageio names the file
		}
		frames[i] = liveness.Frame{Image: img, At: start.Add(time.Duration(i) * interval)}
	}
	res, err := v.Verify(ctx, ch.Token, frames)
	if err != nil {
		return err
	}
	return writeJSON(env.stdout, res)
}

// newPassiveChecker is the passive checker both liveness commands use:
// threshold > 0 replaces the fitted decision threshold.
func newPassiveChecker(cache *models.Cache, diagnostics bool, threshold float64) (*liveness.Passive, error) {
	return liveness.New(liveness.Config{Models: cache, Diagnostics: diagnostics, Fusion: liveness.Fusion{Threshold: threshold}})
}
