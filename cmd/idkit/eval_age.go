package main

import (
	"context"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/imageio"
)

func runEvalAge(ctx context.Context, env *cliEnv, args []string) error {
	ef := newEvalFlags(env, "age", "images + labels.csv (file,age)")
	modelsDir := ef.fs.String("models", "", "models directory")
	var af ageFlags
	af.register(ef.fs, 0)
	dir, err := ef.parse(args)
	if err != nil {
		return err
	}
	policy, err := af.policy()
	if err != nil {
		return err
	}
	set, err := eval.ReadAgeLabels(dir)
	if err != nil {
		return err
	}
	fa, est, err := newAgeModels(*modelsDir)
	if err != nil {
		return err
	}
	defer fa.Close()
	defer est.Close()
	out, stats, runErr := evalRun(ctx, env, ef, set.Items,
		func(ctx context.Context, it eval.AgeItem) (eval.AgePrediction, error) {
			img, _, err := imageio.ReadFile(it.Path, imageio.Limits{})
			if err != nil {
				return eval.AgePrediction{}, err
			}
			res, err := age.EstimateImage(ctx, fa, est, img)
			if err != nil {
				return eval.AgePrediction{}, err
			}
			p := eval.AgePrediction{Age: res.Estimate.Age}
			if policy != nil {
				d, err := age.Decide(res.Estimate, *policy)
				if err != nil {
					return eval.AgePrediction{}, err
				}
				p.Decision = eval.AgeDecision(d.Outcome)
			}
			return p, nil
		}, faceErrorCode)
	var ep *eval.AgePolicy
	if policy != nil {
		ep = &eval.AgePolicy{Threshold: policy.Threshold, Challenge: policy.Challenge}
	}
	rep, err := eval.SummarizeAge(set, out, stats, ep)
	if err != nil {
		return err
	}
	return ef.finish(env, rep, set.Missing, runErr)
}
