package main

// idkit eval SUBCOMMAND DIR [flags] measures a module on a labelled folder
// (formats and JSON keys in DESIGN.md, "Evaluation commands").
//
// Each subcommand lives in its own file, eval_NAME.go, and is one line in
// evalCommands. A subcommand that measures a model is about fifty lines:
//
//	func runEvalAge(ctx context.Context, env *cliEnv, args []string) error {
//		ef := newEvalFlags(env, "age", "images + labels.csv (file,age)")
//		threshold := ef.fs.Float64("threshold", 0, "policy threshold T; 0 measures MAE only")
//		dir, err := ef.parse(args)
//		if err != nil {
//			return err
//		}
//		set, err := eval.ReadAgeLabels(dir)
//		if err != nil {
//			return err
//		}
//		est, err := ...        // build the models once, Close them at the end
//		out, stats, runErr := evalRun(ctx, env, ef, set.Items,
//			func(ctx context.Context, it eval.AgeItem) (eval.AgePrediction, error) {
//				...                // decode it.Path, find the face, estimate
//			}, classify)         // maps face.ErrNoFace to "no_face"
//		rep, err := eval.SummarizeAge(set, out, stats, policy)
//		if err != nil {
//			return err
//		}
//		return ef.finish(env, rep, set.Missing, runErr)
//	}
//
// evalRun brings the shared flags (--workers, --progress, --limit) and
// finish prints the report as a table or --json, warns about missing files
// and reports an interrupted run. eval_check.go is a complete example that
// needs no model.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/idkit-dev/idkit/eval"
)

// evalCommand is one `idkit eval` subcommand; run receives the arguments
// after its name (DIR and flags, in any order).
type evalCommand struct {
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// evalCommands is the table of eval subcommands. Keep one line per
// subcommand; each lives in its own eval_NAME.go.
func evalCommands() map[string]evalCommand {
	return map[string]evalCommand{
		"check":     {"check a labelled folder: label format, missing and undecodable files", runEvalCheck},
		"age":       {"age estimation: MAE by band, Challenge-25 pass rates", runEvalAge},
		"liveness":  {"passive liveness: APCER, BPCER, ACER at the threshold, EER, AUC", runEvalLiveness},
		"mrz":       {"MRZ reading from photos: exact rate, character accuracy, valid checksums", runEvalMRZ},
		"aamva":     {"licence barcodes (images or raw payloads): decoded rate, field accuracy", runEvalAAMVA},
		"verify":    {"face verification on pairs: accuracy at the default threshold, best accuracy, AUC, TAR@FAR", runEvalVerify},
		"convert":   {"turn the eval-dev MRZ/AAMVA test vectors into folders eval reads", runEvalConvert},
		"specimens": {"write a labelled MRZ set of generated, photographed specimen documents", runEvalSpecimens},
	}
}

func runEval(ctx context.Context, env *cliEnv, args []string) error {
	cmds := evalCommands()
	if len(args) == 0 || helpArg(args[0]) {
		evalUsage(env.stderr, cmds)
		if len(args) == 0 {
			return usageError("missing subcommand")
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		evalUsage(env.stderr, cmds)
		return usageError(fmt.Sprintf("unknown eval subcommand %q", args[0]))
	}
	return c.run(ctx, env, args[1:])
}

func evalUsage(w io.Writer, cmds map[string]evalCommand) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: idkit eval SUBCOMMAND DIR [flags]\n\nsubcommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nThe measuring subcommands print a table, or one JSON object with --json;\n" +
		"convert and specimens write a folder.\n" +
		"Run 'idkit eval SUBCOMMAND -h' for its flags.\n")
	io.WriteString(w, b.String())
}

// evalFlags holds the flags every eval subcommand shares; a subcommand adds
// its own to fs before parse.
type evalFlags struct {
	fs       *flag.FlagSet
	name     string
	json     bool
	workers  int
	progress string
	limit    int
}

// newEvalFlags makes the flag set of `idkit eval NAME`; input describes the
// folder for the usage text.
func newEvalFlags(env *cliEnv, name, input string) *evalFlags {
	ef := &evalFlags{name: name, fs: flag.NewFlagSet("eval "+name, flag.ContinueOnError)}
	ef.fs.SetOutput(env.stderr)
	ef.fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: idkit eval %s DIR [flags]\n\nDIR: %s\n\nflags:\n", name, input)
		ef.fs.PrintDefaults()
	}
	ef.fs.BoolVar(&ef.json, "json", false, "print one JSON object instead of a table")
	ef.fs.IntVar(&ef.workers, "workers", 1, "items evaluated at once (each model runs on one thread)")
	ef.fs.StringVar(&ef.progress, "progress", "auto", "progress bar on stderr: auto (when a terminal), always, never")
	ef.fs.IntVar(&ef.limit, "limit", 0, "evaluate only the first N items (0: all)")
	return ef
}

// parse reads flags placed before or after DIR and returns DIR.
func (ef *evalFlags) parse(args []string) (string, error) {
	pos, err := parseInterspersed(ef.fs, args)
	if err != nil {
		return "", usageError(err.Error())
	}
	switch {
	case len(pos) == 0:
		return "", usageError("missing DIR: the labelled folder")
	case len(pos) > 1:
		return "", usageError(fmt.Sprintf("want one DIR, got %q", pos))
	case ef.workers < 1:
		return "", usageError("--workers must be at least 1")
	case ef.limit < 0:
		return "", usageError("--limit must not be negative")
	}
	switch ef.progress {
	case "auto", "always", "never":
	default:
		return "", usageError(fmt.Sprintf("--progress %q: want auto, always or never", ef.progress))
	}
	fi, err := os.Stat(pos[0])
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a folder", pos[0])
	}
	return pos[0], nil
}

// parseInterspersed lets flags follow positional arguments, which the flag
// package alone stops at: `idkit eval age DIR --json`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil // everything after -- is positional
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// progressWriter is where the bar goes, or nil for none.
func (ef *evalFlags) progressWriter(env *cliEnv) io.Writer {
	switch ef.progress {
	case "always":
		return env.stderr
	case "auto":
		if f, ok := env.stderr.(*os.File); ok && eval.IsTerminal(f) {
			return env.stderr
		}
	}
	return nil
}

// evalRun runs fn over items with the shared flags. classify maps the
// model's errors to codes ("no_face"); it may be nil.
func evalRun[I, R any](ctx context.Context, env *cliEnv, ef *evalFlags, items []I, fn func(context.Context, I) (R, error), classify func(error) string) ([]eval.Outcome[I, R], eval.RunStats, error) {
	if ef.limit > 0 && ef.limit < len(items) {
		items = items[:ef.limit]
	}
	return eval.Run(ctx, items, fn, eval.RunConfig{
		Workers:  ef.workers,
		Progress: ef.progressWriter(env),
		Label:    ef.name,
		Classify: classify,
	})
}

// maxMissingShown bounds the missing files listed on stderr.
const maxMissingShown = 10

// finish warns about missing files, prints the report, and turns an
// interrupted run into an error after printing its partial results.
func (ef *evalFlags) finish(env *cliEnv, rep eval.Report, missing []eval.Missing, runErr error) error {
	if m := missing; len(m) > 0 {
		fmt.Fprintf(env.stderr, "idkit eval %s: %d labelled files not found, skipped:\n", ef.name, len(m))
		for i, x := range m {
			if i == maxMissingShown {
				fmt.Fprintf(env.stderr, "  ... and %d more\n", len(m)-i)
				break
			}
			fmt.Fprintf(env.stderr, "  %s\n", x)
		}
	}
	if err := eval.Write(env.stdout, rep, ef.json); err != nil {
		return err
	}
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			return errors.New("interrupted: the results above are partial")
		}
		return runErr
	}
	return nil
}
