package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/liveness"
	"github.com/idkit-dev/idkit/models"
)

// idkit eval liveness DIR measures the passive liveness checker on images
// labelled live or spoof: APCER, BPCER and ACER at the checker's threshold,
// EER, AUC and time per image. Photos the checker cannot judge (no face, a
// face too small) are counted as no_face / face_too_small and left out of
// the rates; bpcer_with_failures counts the live ones among them as
// rejected.

func runEvalLiveness(ctx context.Context, env *cliEnv, args []string) error {
	ef := newEvalFlags(env, "liveness", "images + labels.csv (file,label with live or spoof)")
	modelsDir := ef.fs.String("models", "", "models directory")
	threshold := ef.fs.Float64("threshold", 0, "decision threshold on the fused score (default: the fitted one)")
	scores := ef.fs.String("scores", "", "also write each image's score and signals to this CSV file")
	diag := ef.fs.Bool("diagnostics", false, "also measure the unscored cues (detail, border) for the --scores file")
	resave := ef.fs.Int("jpeg", 0, "re-save every image as JPEG at this quality (1-100) before the check, so that live and attack images share one compression; 0 keeps them as they are")
	dir, err := ef.parse(args)
	if err != nil {
		return err
	}
	if !(*threshold >= 0 && *threshold <= 1) {
		return usageError("--threshold must be between 0 and 1")
	}
	if *resave < 0 || *resave > 100 {
		return usageError("--jpeg must be a JPEG quality from 1 to 100, or 0")
	}
	set, err := eval.ReadLivenessLabels(dir)
	if err != nil {
		return err
	}
	// The scores file is created (as a temporary beside it) before the run,
	// so an unwritable path fails at once rather than discarding the
	// finished run, and an earlier file is replaced only by a complete one.
	var scoresFile *os.File
	if *scores != "" {
		if scoresFile, err = os.Create(*scores + ".tmp"); err != nil {
			return err
		}
		defer os.Remove(scoresFile.Name()) // a no-op after the rename
		defer scoresFile.Close()           // a no-op error after writeLivenessScores closed it
	}
	chk, err := newPassiveChecker(models.Open(*modelsDir), *diag, *threshold)
	if err != nil {
		return err
	}
	defer chk.Close()
	out, stats, runErr := evalRun(ctx, env, ef, set.Items,
		func(ctx context.Context, it eval.LivenessItem) (*liveness.Result, error) {
			img, _, err := imageio.ReadFile(it.Path, imageio.Limits{})
			if err != nil {
				return nil, err
			}
			if *resave > 0 {
				if img, err = imageio.RecompressJPEG(img, *resave); err != nil {
					return nil, fmt.Errorf("%s: %w", it.File, err)
				}
			}
			res, err := chk.Check(ctx, img)
			if err != nil {
				return nil, err
			}
			switch {
			case res.Status != liveness.StatusInconclusive:
				return res, nil
			case res.Face == nil:
				return res, eval.CodeError("no_face", fmt.Errorf("%s: no face", it.File))
			}
			return res, eval.CodeError("face_too_small", fmt.Errorf("%s: face too small to judge", it.File))
		}, classifyImageError)
	preds := make([]eval.Outcome[eval.LivenessItem, eval.LivenessPrediction], len(out))
	for i, o := range out {
		preds[i] = eval.Outcome[eval.LivenessItem, eval.LivenessPrediction]{Item: o.Item, Err: o.Err, Code: o.Code, Elapsed: o.Elapsed}
		if o.Err == nil {
			preds[i].Result.Score = o.Result.Confidence
		}
	}
	if scoresFile != nil {
		if err := writeLivenessScores(scoresFile, out); err != nil {
			return err
		}
		if err := os.Rename(scoresFile.Name(), *scores); err != nil {
			return err
		}
	}
	rep := eval.SummarizeLiveness(set, preds, stats, chk.Threshold())
	if *resave > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("every image was re-saved as JPEG at quality %d before the check (--jpeg)", *resave))
	}
	return ef.finish(env, rep, set.Missing, runErr)
}

// writeLivenessScores writes one CSV row per image: the label, the verdict,
// the fused score and every signal, for refitting or inspecting the fusion.
func writeLivenessScores(f *os.File, out []eval.Outcome[eval.LivenessItem, *liveness.Result]) error {
	w := csv.NewWriter(f)
	num := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', 6, 64)
	}
	w.Write([]string{"file", "label", "status", "score", "net_live", "net_1", "net_2", "moire", "glare", "saturation", "detail", "border", "border_support", "face_side", "ms"})
	for _, o := range out {
		label := "spoof"
		if o.Item.Live {
			label = "live"
		}
		row := []string{o.Item.File, label, o.Code, "", "", "", "", "", "", "", "", "", "", "", num(float64(o.Elapsed.Microseconds()) / 1000)}
		if r := o.Result; r != nil {
			row[2] = string(r.Status)
			if r.Face != nil {
				row[13] = num(r.Face.Box.H())
			}
			if s := r.Signals; s != nil {
				c := s.Cues
				copy(row[3:13], []string{num(r.Confidence), num(s.Network[0]), num(s.Network[1]), num(s.Network[2]),
					num(c.Moire), num(c.Glare), num(c.Saturation), num(c.Detail), num(c.Border), num(c.BorderSupport)})
			}
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
