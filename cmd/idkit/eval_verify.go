package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/facematch"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/models"
)

// idkit eval verify DIR matches every pair in pairs.csv (decode, detect,
// align, embed each image once, then compare) and reports accuracy at the
// calibrated default threshold and the threshold-free metrics.

func runEvalVerify(ctx context.Context, env *cliEnv, args []string) error {
	ef := newEvalFlags(env, "verify", "images + pairs.csv (a,b,same)")
	modelsDir := ef.fs.String("models", "", "models directory")
	threshold := ef.fs.Float64("threshold", facematch.DefaultThreshold, "similarity (0–1) at or above which a pair is decided the same person")
	network := ef.fs.String("network", string(facematch.DefaultNetwork), "embedding network: mobilefacenet+faceapi (the default), mobilefacenet or fr_feature (templates from one are refused by the others)")
	flip := ef.fs.Bool("flip", false, "average the embeddings of each face and its mirror image (with --network mobilefacenet or fr_feature)")
	docB := ef.fs.Bool("document-b", false, "treat every b image as a document photo")
	dir, err := ef.parse(args)
	if err != nil {
		return err
	}
	if !(*threshold >= 0 && *threshold <= 1) {
		return usageError("--threshold must be within 0–1")
	}
	set, err := eval.ReadPairs(dir)
	if err != nil {
		return err
	}
	m, err := facematch.New(facematch.Config{Models: models.Open(*modelsDir), Network: facematch.Network(*network), Flip: *flip, Threshold: *threshold})
	if err != nil {
		return err
	}
	defer m.Close()
	// Each image is enrolled once however many pairs it is in (1,491
	// images for LFW's 1,200 pairs): the comparison itself is a dot product.
	// A pair's time is therefore what it cost to enroll the images no
	// earlier pair had (or to wait for another worker enrolling them), not
	// the cost of comparing two fresh images.
	cache := newEnrollCache(m)
	out, stats, runErr := evalRun(ctx, env, ef, set.Items,
		func(ctx context.Context, it eval.PairItem) (eval.VerifyPrediction, error) {
			a, err := cache.enroll(ctx, it.PathA, false)
			if err != nil {
				return eval.VerifyPrediction{}, err
			}
			b, err := cache.enroll(ctx, it.PathB, *docB)
			if err != nil {
				return eval.VerifyPrediction{}, err
			}
			r, err := m.CompareTemplates(a, b)
			if err != nil {
				return eval.VerifyPrediction{}, err
			}
			return eval.VerifyPrediction{Similarity: r.Similarity}, nil
		}, faceErrorCode)
	return ef.finish(env, eval.SummarizeVerify(set, out, stats, *threshold), set.Missing, runErr)
}

// enrollCache enrolls each image once and shares the result (or the error)
// between the pairs that use it, whichever worker asks first.
type enrollCache struct {
	m  *facematch.Matcher
	mu sync.Mutex
	by map[enrollKey]*enrollEntry
}

type enrollKey struct {
	path     string
	document bool
}

type enrollEntry struct {
	once sync.Once
	emb  facematch.Embedding
	err  error
}

func newEnrollCache(m *facematch.Matcher) *enrollCache {
	return &enrollCache{m: m, by: map[enrollKey]*enrollEntry{}}
}

func (c *enrollCache) enroll(ctx context.Context, path string, document bool) (facematch.Embedding, error) {
	k := enrollKey{path, document}
	c.mu.Lock()
	e, ok := c.by[k]
	if !ok {
		e = &enrollEntry{}
		c.by[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		// Until enrollment returns, the entry holds an error: a panic
		// inside it must not leave a zero embedding for later pairs.
		e.err = fmt.Errorf("%s: enrollment did not finish", path)
		img, _, err := imageio.ReadFile(path, imageio.Limits{})
		if err != nil {
			e.err = err
			return
		}
		var emb facematch.Embedding
		emb, _, err = c.m.Enroll(ctx, facematch.Probe{Image: img, Document: document})
		if err != nil {
			e.err = fmt.Errorf("%s: %w", path, err)
			return
		}
		e.emb, e.err = emb, nil
	})
	return e.emb, e.err
}
