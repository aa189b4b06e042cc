package workflow

import (
	"context"
	"fmt"
	"sync"

	"cel.dev/cel-go/cel"
)

// Variables are the names a rule can use, each a map from string keys to
// values; a key is absent when its step did not run or did not know:
// test with has(age.estimate).
//
//	document   type, country, subdivision, number, surname, given_names,
//	           nationality, sex, birth_date, expiry_date, issue_date (ISO
//	           strings), age, majority_age (int), expired, valid, specimen
//	           (bool), confidence (double), checks (map name → status),
//	           failed (list of check names)
//	age        estimate, std_dev, low, high, confidence (double), outcome
//	           (above, below, needs_document), document (the document's age)
//	liveness   is_live (bool), spoof_type (string), confidence (double)
//	face_match match (bool), similarity, threshold (double)
//	kya        score (double), measured (bool), checks (map name → status)
//	profile    email, phone, ip, country, name (what the user declared)
var Variables = []string{"document", "age", "liveness", "face_match", "kya", "profile"}

// ruleCostLimit bounds a rule's evaluation cost, so that a tenant's rule
// cannot stall a pipeline (a comprehension over a large list, say).
const ruleCostLimit = 100_000

// RuleResult is the outcome of one rule.
type RuleResult struct {
	Name   string     `json:"name"`
	Expr   string     `json:"expr"`
	Action RuleAction `json:"action"`
	// Status is pass (the rule holds), fail (it does not) or error (it
	// could not be evaluated: the rule is then treated as failing, so a
	// missing value never lets a check through).
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

type compiledRule struct {
	Rule
	prg cel.Program
}

var ruleEnv = sync.OnceValues(func() (*cel.Env, error) {
	opts := []cel.EnvOption{cel.CrossTypeNumericComparisons(true)}
	for _, v := range Variables {
		opts = append(opts, cel.Variable(v, cel.MapType(cel.StringType, cel.DynType)))
	}
	return cel.NewEnv(opts...)
})

func compileRules(rules []Rule) ([]compiledRule, error) {
	env, err := ruleEnv()
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	out := make([]compiledRule, 0, len(rules))
	for _, r := range rules {
		ast, iss := env.Compile(r.Expr)
		if iss.Err() != nil {
			return nil, fmt.Errorf("rule %q: %w", r.Name, iss.Err())
		}
		if t := ast.OutputType(); t != cel.BoolType && t != cel.DynType {
			return nil, fmt.Errorf("rule %q: the expression yields %s, not a bool", r.Name, t)
		}
		prg, err := env.Program(ast, cel.CostLimit(ruleCostLimit), cel.InterruptCheckFrequency(100))
		if err != nil {
			return nil, fmt.Errorf("rule %q: %w", r.Name, err)
		}
		if r.Action == "" {
			r.Action = ActionReject
		}
		out = append(out, compiledRule{Rule: r, prg: prg})
	}
	return out, nil
}

func evalRules(ctx context.Context, rules []compiledRule, vars map[string]any) []RuleResult {
	out := make([]RuleResult, 0, len(rules))
	for _, r := range rules {
		res := RuleResult{Name: r.Name, Expr: r.Expr, Action: r.Action}
		val, _, err := r.prg.ContextEval(ctx, vars)
		switch {
		case err != nil:
			res.Status, res.Reason = "error", fmt.Sprintf("rule %s could not be evaluated (%v), so it counts as not holding", r.Name, err)
		case val.Value() == true:
			res.Status = "pass"
		case val.Value() == false:
			res.Status = "fail"
			res.Reason = r.Reason
			if res.Reason == "" {
				res.Reason = fmt.Sprintf("rule %s does not hold: %s", r.Name, r.Expr)
			}
		default:
			res.Status, res.Reason = "error", fmt.Sprintf("rule %s yielded %v, not a bool, so it counts as not holding", r.Name, val)
		}
		out = append(out, res)
	}
	return out
}
