package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/imageio"
)

// idkit eval check DIR checks a labelled folder before a long run: the
// label file parses, every file it names exists, and every image decodes.
// It is also the smallest complete eval subcommand.

func runEvalCheck(ctx context.Context, env *cliEnv, args []string) error {
	ef := newEvalFlags(env, "check", "a labelled folder (labels.csv, pairs.csv or labels.jsonl)")
	format := ef.fs.String("format", "", "age, liveness, verify, mrz or aamva (default: guessed from the label file)")
	dir, err := ef.parse(args)
	if err != nil {
		return err
	}
	if *format == "" {
		if *format, err = guessFormat(dir); err != nil {
			return err
		}
	}
	set, err := readCheckSet(dir, *format)
	if err != nil {
		return err
	}
	out, stats, runErr := evalRun(ctx, env, ef, set.Items, checkFiles, classifyImageError)
	return ef.finish(env, summarizeCheck(*format, set, out, stats), set.Missing, runErr)
}

// checkItem is a label row of any format: its files and its class.
type checkItem struct {
	Line  int
	Paths []string
	Class string  // live/spoof, same/different; "" otherwise
	Age   float64 // age format only
}

// checkResult describes the files of one row.
type checkResult struct {
	Images   int // files decoded as images
	Payloads int // other files (AAMVA text payloads), read whole
}

// imageExts are the files decoded as images; anything else must be a
// non-empty payload (raw AAMVA barcode text, for instance).
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".webp": true}

func checkFiles(_ context.Context, it checkItem) (checkResult, error) {
	var r checkResult
	for _, p := range it.Paths {
		if imageExts[strings.ToLower(filepath.Ext(p))] {
			if _, _, err := imageio.ReadFile(p, imageio.Limits{}); err != nil {
				return r, err
			}
			r.Images++
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return r, err
		}
		if len(b) == 0 {
			return r, eval.CodeError("empty", fmt.Errorf("%s: empty file", p))
		}
		r.Payloads++
	}
	return r, nil
}

func classifyImageError(err error) string {
	switch {
	case errors.Is(err, imageio.ErrEmpty):
		return "empty"
	case errors.Is(err, imageio.ErrUnsupported):
		return "unsupported"
	case errors.Is(err, imageio.ErrCorrupt):
		return "corrupt"
	case errors.Is(err, imageio.ErrTooLarge):
		return "too_large"
	}
	return ""
}

// guessFormat names the format from the label file present, its header
// (age or label column) or its first object (mrz or fields key).
func guessFormat(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, eval.PairsFile)); err == nil {
		return "verify", nil
	}
	if f, err := os.Open(filepath.Join(dir, eval.AgeLabelsFile)); err == nil {
		defer f.Close()
		header, _ := bufio.NewReader(f).ReadString('\n')
		for _, col := range strings.Split(strings.ToLower(header), ",") {
			switch strings.TrimSpace(strings.TrimPrefix(col, "\ufeff")) {
			case "age":
				return "age", nil
			case "label":
				return "liveness", nil
			}
		}
		return "", fmt.Errorf("%s: header %q has neither an age nor a label column; use --format", f.Name(), strings.TrimSpace(header))
	}
	if f, err := os.Open(filepath.Join(dir, eval.MRZLabelsFile)); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			var keys map[string]json.RawMessage
			_ = json.Unmarshal(sc.Bytes(), &keys) // a bad line is reported by the reader
			if _, ok := keys["fields"]; ok {
				return "aamva", nil
			}
			return "mrz", nil
		}
		return "mrz", nil // the reader reports the empty file
	}
	return "", fmt.Errorf("%s has no %s, %s or %s", dir, eval.PairsFile, eval.AgeLabelsFile, eval.MRZLabelsFile)
}

// readCheckSet reads dir in format and keeps what check needs of each row.
func readCheckSet(dir, format string) (*eval.Set[checkItem], error) {
	switch format {
	case "age":
		s, err := eval.ReadAgeLabels(dir)
		return convertSet(s, err, func(it eval.AgeItem) checkItem {
			return checkItem{Line: it.Line, Paths: []string{it.Path}, Age: it.Age}
		})
	case "liveness":
		s, err := eval.ReadLivenessLabels(dir)
		return convertSet(s, err, func(it eval.LivenessItem) checkItem {
			return checkItem{Line: it.Line, Paths: []string{it.Path}, Class: map[bool]string{true: "live", false: "spoof"}[it.Live]}
		})
	case "verify":
		s, err := eval.ReadPairs(dir)
		return convertSet(s, err, func(it eval.PairItem) checkItem {
			return checkItem{Line: it.Line, Paths: []string{it.PathA, it.PathB}, Class: map[bool]string{true: "same", false: "different"}[it.Same]}
		})
	case "mrz":
		s, err := eval.ReadMRZLabels(dir)
		return convertSet(s, err, func(it eval.MRZItem) checkItem {
			return checkItem{Line: it.Line, Paths: []string{it.Path}, Class: fmt.Sprintf("%d lines", len(it.Lines))}
		})
	case "aamva":
		s, err := eval.ReadAAMVALabels(dir)
		return convertSet(s, err, func(it eval.AAMVAItem) checkItem {
			return checkItem{Line: it.Line, Paths: []string{it.Path}}
		})
	}
	return nil, usageError(fmt.Sprintf("--format %q: want age, liveness, verify, mrz or aamva", format))
}

func convertSet[T any](s *eval.Set[T], err error, conv func(T) checkItem) (*eval.Set[checkItem], error) {
	if err != nil {
		return nil, err
	}
	out := &eval.Set[checkItem]{Dir: s.Dir, LabelFile: s.LabelFile, Missing: s.Missing}
	for _, it := range s.Items {
		out.Items = append(out.Items, conv(it))
	}
	return out, nil
}

// checkReport is the result of `idkit eval check`.
type checkReport struct {
	Format    string           `json:"format"`
	LabelFile string           `json:"label_file"`
	N         int              `json:"n"`                   // rows checked
	OK        int              `json:"ok"`                  // rows whose files all decode
	Images    int              `json:"images"`              // image files decoded
	Payloads  int              `json:"payloads"`            // non-image files read
	Classes   map[string]int   `json:"classes,omitempty"`   // rows per class, as labelled
	NByBand   eval.NamedValues `json:"n_by_band,omitempty"` // age rows per band
	MSPerItem eval.Number      `json:"ms_per_item"`         // median

	eval.RunInfo
}

func summarizeCheck(format string, set *eval.Set[checkItem], out []eval.Outcome[checkItem, checkResult], stats eval.RunStats) *checkReport {
	r := &checkReport{Format: format, LabelFile: set.LabelFile, N: len(out), RunInfo: eval.NewRunInfo(set, out, stats)}
	bands := eval.DefaultAgeBands()
	perBand := make([]int, len(bands))
	var d []time.Duration
	for _, o := range out {
		d = append(d, o.Elapsed)
		if o.Item.Class != "" {
			if r.Classes == nil {
				r.Classes = map[string]int{}
			}
			r.Classes[o.Item.Class]++
		}
		for i, b := range bands {
			if format == "age" && o.Item.Age >= b.Min && o.Item.Age < b.Max {
				perBand[i]++
			}
		}
		if o.Err == nil {
			r.OK++
			r.Images += o.Result.Images
			r.Payloads += o.Result.Payloads
		}
	}
	if format == "age" {
		for i, b := range bands {
			r.NByBand = append(r.NByBand, eval.Named{Name: b.Name, Value: eval.Num(float64(perBand[i]))})
		}
	}
	t, err := eval.TimingOf(d)
	r.Note("timing", err)
	if err == nil {
		r.MSPerItem = eval.Num(t.MedianMS)
	}
	return r
}

func (r *checkReport) Sections() []eval.Section {
	main := eval.Section{Title: "check " + r.Format + ": " + r.LabelFile, Rows: [][]string{
		{"n", strconv.Itoa(r.N)},
		{"ok", strconv.Itoa(r.OK)},
		{"images", strconv.Itoa(r.Images)},
		{"payloads", strconv.Itoa(r.Payloads)},
	}}
	for _, k := range slices.Sorted(maps.Keys(r.Classes)) {
		main.Rows = append(main.Rows, []string{"class." + k, strconv.Itoa(r.Classes[k])})
	}
	for _, b := range r.NByBand {
		main.Rows = append(main.Rows, []string{"age." + b.Name, b.Value.Format(0)})
	}
	main.Rows = append(main.Rows, []string{"ms_per_item", r.MSPerItem.Format(2), "median"})
	return append([]eval.Section{main}, r.RunInfo.Sections()...)
}

var _ eval.Report = (*checkReport)(nil)
