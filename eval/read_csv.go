package eval

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// AgeItem is one face image with its true age.
type AgeItem struct {
	Line int     // 1-based line in labels.csv
	File string  // path as written, relative to the folder
	Path string  // File resolved against the folder
	Age  float64 // years
}

// LivenessItem is one image labelled live (bona fide) or spoof (attack).
type LivenessItem struct {
	Line int
	File string
	Path string
	Live bool
}

// PairItem is two images of the same person or of two people.
type PairItem struct {
	Line         int
	A, B         string // paths as written
	PathA, PathB string // resolved
	Same         bool
}

// maxAge bounds plausible labels; a larger value is a typo or a swapped
// column.
const maxAge = 150

// ReadAgeLabels reads DIR/labels.csv with columns file and age (years,
// decimals allowed).
func ReadAgeLabels(dir string) (*Set[AgeItem], error) {
	return readSet(dir, AgeLabelsFile, parseAgeCSV, func(it AgeItem) (int, []string) { return it.Line, []string{it.File} })
}

// ReadLivenessLabels reads DIR/labels.csv with columns file and label, the
// label being live or spoof (also accepted: real, bonafide, genuine for
// live; attack, fake for spoof; any case).
func ReadLivenessLabels(dir string) (*Set[LivenessItem], error) {
	return readSet(dir, LivenessLabelsFile, parseLivenessCSV, func(it LivenessItem) (int, []string) { return it.Line, []string{it.File} })
}

// ReadPairs reads DIR/pairs.csv with columns a, b and same (1 or 0, also
// true/false, yes/no). Other columns, such as LFW's fold, are ignored.
func ReadPairs(dir string) (*Set[PairItem], error) {
	return readSet(dir, PairsFile, parsePairsCSV, func(it PairItem) (int, []string) { return it.Line, []string{it.A, it.B} })
}

func parseAgeCSV(r io.Reader, file, dir string) ([]AgeItem, error) {
	var items []AgeItem
	err := readCSV(r, file, []string{"file", "age"}, func(line int, col map[string]string, errs *rowErrors) {
		age, err := strconv.ParseFloat(col["age"], 64)
		if err != nil || math.IsNaN(age) || age < 0 || age > maxAge {
			errs.add(line, "age %q is not a number of years in [0, %d]", col["age"], maxAge)
			return
		}
		items = append(items, AgeItem{Line: line, File: col["file"], Path: Resolve(dir, col["file"]), Age: age})
	})
	return items, err
}

func parseLivenessCSV(r io.Reader, file, dir string) ([]LivenessItem, error) {
	var items []LivenessItem
	err := readCSV(r, file, []string{"file", "label"}, func(line int, col map[string]string, errs *rowErrors) {
		var live bool
		switch strings.ToLower(col["label"]) {
		case "live", "real", "bonafide", "bona_fide", "genuine":
			live = true
		case "spoof", "attack", "fake":
		default:
			errs.add(line, "label %q is neither live nor spoof", col["label"])
			return
		}
		items = append(items, LivenessItem{Line: line, File: col["file"], Path: Resolve(dir, col["file"]), Live: live})
	})
	return items, err
}

func parsePairsCSV(r io.Reader, file, dir string) ([]PairItem, error) {
	var items []PairItem
	err := readCSV(r, file, []string{"a", "b", "same"}, func(line int, col map[string]string, errs *rowErrors) {
		var same bool
		switch strings.ToLower(col["same"]) {
		case "1", "true", "yes":
			same = true
		case "0", "false", "no":
		default:
			errs.add(line, "same %q is neither 1 nor 0", col["same"])
			return
		}
		items = append(items, PairItem{
			Line: line, A: col["a"], B: col["b"],
			PathA: Resolve(dir, col["a"]), PathB: Resolve(dir, col["b"]),
			Same: same,
		})
	})
	return items, err
}

// readCSV reads a CSV file with a header row, finds the wanted columns by
// name (trimmed, any case; others ignored) and calls row for each data row
// with the wanted values trimmed. Empty values in wanted columns and short
// rows are reported without calling row. It returns every malformed row
// (up to maxRowErrors) joined, or an error when the file has no data row.
func readCSV(r io.Reader, file string, want []string, row func(line int, col map[string]string, errs *rowErrors)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // short rows get a clear message below
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return &RowError{File: file, Err: fmt.Errorf("empty file, expected a header with %s", strings.Join(want, ","))}
	}
	if err != nil {
		return csvError(file, err)
	}
	index := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := index[h]; dup && h != "" {
			return &RowError{File: file, Line: 1, Err: fmt.Errorf("column %q appears twice in the header", h)}
		}
		index[h] = i
	}
	for _, w := range want {
		if _, ok := index[w]; !ok {
			return &RowError{File: file, Line: 1, Err: fmt.Errorf("no column %q in the header %q (want %s)", w, strings.Join(header, ","), strings.Join(want, ","))}
		}
	}
	errs := &rowErrors{file: file}
	rows := 0
	col := make(map[string]string, len(want))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A broken quote is one bad row; the reader goes on at the
			// next line. Anything else (an I/O error) ends the read.
			var pe *csv.ParseError
			if errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)) {
				errs.add(pe.Line, "%v", pe.Err)
				rows++
				continue
			}
			return csvError(file, err)
		}
		rows++
		line, _ := cr.FieldPos(0)
		ok := true
		for _, w := range want {
			i := index[w]
			if i >= len(rec) {
				errs.add(line, "row has %d columns, column %q is number %d", len(rec), w, i+1)
				ok = false
				break
			}
			v := strings.TrimSpace(rec[i])
			if v == "" {
				errs.add(line, "column %q is empty", w)
				ok = false
				break
			}
			col[w] = v
		}
		if ok {
			row(line, col, errs)
		}
	}
	if err := errs.err(); err != nil {
		return err
	}
	if rows == 0 {
		return &RowError{File: file, Err: errors.New("no data rows after the header")}
	}
	return nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &RowError{File: file, Line: pe.Line, Err: pe.Err}
	}
	return &RowError{File: file, Err: err}
}
