package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MRZItem is one document image with the machine-readable zone printed on
// it, one string per line (2 or 3 lines; 1 for a French driving licence).
type MRZItem struct {
	Line  int
	File  string
	Path  string
	Lines []string
}

// AAMVAItem is one barcode image (or raw payload) with the AAMVA fields it
// encodes, keyed by element ID such as DBB (date of birth) or DCS (family
// name).
type AAMVAItem struct {
	Line   int
	File   string
	Path   string
	Fields map[string]string
}

// maxJSONLine bounds one labels.jsonl line; a real label is under a few
// kilobytes, so a longer line means the wrong file.
const maxJSONLine = 1 << 20

// ReadMRZLabels reads DIR/labels.jsonl, one {"file":…,"mrz":["…","…"]}
// object a line. Blank lines are skipped and extra keys ignored.
func ReadMRZLabels(dir string) (*Set[MRZItem], error) {
	return readSet(dir, MRZLabelsFile, parseMRZJSONL, func(it MRZItem) (int, []string) { return it.Line, []string{it.File} })
}

// ReadAAMVALabels reads DIR/labels.jsonl, one
// {"file":…,"fields":{"DBB":…,"DCS":…}} object a line. Field values are
// strings; numbers are taken as their text.
func ReadAAMVALabels(dir string) (*Set[AAMVAItem], error) {
	return readSet(dir, AAMVALabelsFile, parseAAMVAJSONL, func(it AAMVAItem) (int, []string) { return it.Line, []string{it.File} })
}

func parseMRZJSONL(r io.Reader, file, dir string) ([]MRZItem, error) {
	var items []MRZItem
	err := readJSONL(r, file, func(line int, raw []byte, errs *rowErrors) {
		var v struct {
			File string   `json:"file"`
			MRZ  []string `json:"mrz"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			errs.add(line, "%v", err)
			return
		}
		if strings.TrimSpace(v.File) == "" {
			errs.add(line, `"file" is missing or empty`)
			return
		}
		if len(v.MRZ) < 1 || len(v.MRZ) > 3 {
			errs.add(line, `"mrz" has %d lines, want 1 to 3`, len(v.MRZ))
			return
		}
		for i, l := range v.MRZ {
			if strings.TrimSpace(l) == "" {
				errs.add(line, `"mrz" line %d is empty`, i+1)
				return
			}
		}
		items = append(items, MRZItem{Line: line, File: v.File, Path: Resolve(dir, v.File), Lines: v.MRZ})
	})
	return items, err
}

func parseAAMVAJSONL(r io.Reader, file, dir string) ([]AAMVAItem, error) {
	var items []AAMVAItem
	err := readJSONL(r, file, func(line int, raw []byte, errs *rowErrors) {
		var v struct {
			File   string                     `json:"file"`
			Fields map[string]json.RawMessage `json:"fields"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			errs.add(line, "%v", err)
			return
		}
		if strings.TrimSpace(v.File) == "" {
			errs.add(line, `"file" is missing or empty`)
			return
		}
		if len(v.Fields) == 0 {
			errs.add(line, `"fields" is missing or empty`)
			return
		}
		fields := make(map[string]string, len(v.Fields))
		for _, k := range sortedKeys(v.Fields) {
			val, err := fieldText(v.Fields[k])
			if err != nil {
				errs.add(line, "field %q: %v", k, err)
				return
			}
			fields[k] = val
		}
		items = append(items, AAMVAItem{Line: line, File: v.File, Path: Resolve(dir, v.File), Fields: fields})
	})
	return items, err
}

func fieldText(raw json.RawMessage) (string, error) {
	if string(raw) == "null" {
		return "", errors.New("value is null")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("value %s is neither a string nor a number", raw)
}

// readJSONL calls row for each non-blank line; every malformed line (up to
// maxRowErrors) is returned joined, and a file without any object is an
// error.
func readJSONL(r io.Reader, file string, row func(line int, raw []byte, errs *rowErrors)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxJSONLine)
	errs := &rowErrors{file: file}
	line, rows := 0, 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
		}
		if len(raw) == 0 {
			continue
		}
		rows++
		row(line, raw, errs)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line longer than %d bytes", maxJSONLine)
		}
		return errors.Join(errs.err(), &RowError{File: file, Line: line + 1, Err: err})
	}
	if err := errs.err(); err != nil {
		return err
	}
	if rows == 0 {
		return &RowError{File: file, Err: errors.New("no JSON objects")}
	}
	return nil
}
