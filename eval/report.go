package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Report is the result of one evaluation, printable as a table for people
// (Sections) or as one JSON object (its json tags, snake_case).
type Report interface {
	Sections() []Section
}

// Section is one block of the human table: key/value rows when Header is
// nil, otherwise a table with Header as its first row.
type Section struct {
	Title  string
	Header []string
	Rows   [][]string
}

// Write prints r as indented JSON or as aligned text tables.
func Write(w io.Writer, r Report, asJSON bool) error {
	if asJSON {
		return WriteJSON(w, r)
	}
	return WriteTable(w, r)
}

// WriteJSON prints r as one indented JSON object followed by a newline.
func WriteJSON(w io.Writer, r Report) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteTable prints each section with its columns aligned; numbers are
// right-aligned, text left-aligned, and no line ends in blanks.
func WriteTable(w io.Writer, r Report) error {
	var b strings.Builder
	for i, s := range r.Sections() {
		if i > 0 {
			b.WriteByte('\n')
		}
		if s.Title != "" {
			b.WriteString(s.Title + "\n")
		}
		rows := s.Rows
		if s.Header != nil {
			rows = append([][]string{s.Header}, rows...)
		}
		// Numbers are right-aligned among themselves, so that a long text
		// value in the same column (a path) does not push them away.
		widths, numWidths := map[int]int{}, map[int]int{}
		for _, row := range rows {
			for c, cell := range row {
				n := len([]rune(cell))
				widths[c] = max(widths[c], n)
				if c > 0 && numeric(cell) {
					numWidths[c] = max(numWidths[c], n)
				}
			}
		}
		for _, row := range rows {
			b.WriteString(" ")
			for c, cell := range row {
				if c > 0 && numeric(cell) {
					cell = strings.Repeat(" ", numWidths[c]-len([]rune(cell))) + cell
				}
				b.WriteString(" ")
				b.WriteString(cell)
				if c < len(row)-1 {
					b.WriteString(strings.Repeat(" ", widths[c]-len([]rune(cell))))
				}
			}
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func numeric(s string) bool {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "+"), "%")
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || s == "n/a"
}

// Number is a metric value that may be absent (printed as null and
// "n/a"), such as an AUC over one class. JSON values keep 4 decimals.
type Number struct {
	V  float64
	OK bool
}

// Num returns a present Number; NaN and infinities become absent, since
// JSON cannot hold them.
func Num(v float64) Number { return Number{V: v, OK: finite(v)} }

// NumOf returns Num(v) when err is nil and an absent Number otherwise.
func NumOf(v float64, err error) Number {
	if err != nil {
		return Number{}
	}
	return Num(v)
}

// MarshalJSON writes the value rounded to 4 decimals, or null.
func (n Number) MarshalJSON() ([]byte, error) {
	if !n.OK {
		return []byte("null"), nil
	}
	return json.Marshal(round(n.V, 4))
}

func (n Number) String() string { return n.Format(4) }

// Format prints the value with d decimals, or n/a.
func (n Number) Format(d int) string {
	if !n.OK {
		return "n/a"
	}
	return strconv.FormatFloat(round(n.V, d), 'f', d, 64)
}

// Named is one value of an ordered JSON object.
type Named struct {
	Name  string
	Value Number
}

// NamedValues is a JSON object whose keys keep their order (age bands),
// unlike a Go map.
type NamedValues []Named

// MarshalJSON writes {"name": value, ...} in order.
func (nv NamedValues) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, x := range nv {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(x.Name)
		if err != nil {
			return nil, err
		}
		v, err := x.Value.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// RunInfo is what every report says about the run itself.
type RunInfo struct {
	Dir          string         `json:"dir"`
	Labelled     int            `json:"labelled"`      // rows in the label file
	MissingFiles int            `json:"missing_files"` // rows whose files were not found
	Errors       map[string]int `json:"errors"`        // failed items by code
	Workers      int            `json:"workers"`
	WallSeconds  float64        `json:"wall_seconds"`
	Interrupted  bool           `json:"interrupted,omitempty"` // stopped before the end
	Notes        []string       `json:"notes,omitempty"`       // metrics that could not be computed, and why
}

// NewRunInfo describes a run of outcomes over set, for reports built
// outside this package.
func NewRunInfo[I, R any](set *Set[I], outcomes []Outcome[I, R], stats RunStats) RunInfo {
	return RunInfo{
		Dir:          set.Dir,
		Labelled:     len(set.Items) + len(set.Missing),
		MissingFiles: len(set.Missing),
		Errors:       ErrorCounts(outcomes),
		Workers:      stats.Workers,
		WallSeconds:  round(stats.Wall.Seconds(), 3),
		Interrupted:  stats.Interrupted,
	}
}

// Note records why a metric is absent; a nil err records nothing.
func (ri *RunInfo) Note(metric string, err error) {
	if err != nil {
		ri.Notes = append(ri.Notes, metric+": "+err.Error())
	}
}

// Sections returns the "run" table and, when there are notes, the "notes"
// table, to close a report's Sections.
func (ri *RunInfo) Sections() []Section {
	rows := [][]string{
		{"dir", ri.Dir},
		{"labelled", strconv.Itoa(ri.Labelled)},
		{"missing_files", strconv.Itoa(ri.MissingFiles)},
	}
	for _, code := range sortedKeys(ri.Errors) {
		rows = append(rows, []string{"errors." + code, strconv.Itoa(ri.Errors[code])})
	}
	rows = append(rows,
		[]string{"workers", strconv.Itoa(ri.Workers)},
		[]string{"wall_seconds", strconv.FormatFloat(ri.WallSeconds, 'f', 1, 64)},
	)
	if ri.Interrupted {
		rows = append(rows, []string{"interrupted", "yes: partial results"})
	}
	secs := []Section{{Title: "run", Rows: rows}}
	if len(ri.Notes) > 0 {
		notes := Section{Title: "notes"}
		for _, n := range ri.Notes {
			notes.Rows = append(notes.Rows, []string{n})
		}
		secs = append(secs, notes)
	}
	return secs
}

// timingOf returns the median, mean and p95 of the successful items'
// durations, in milliseconds.
func timingOf[I, R any](outcomes []Outcome[I, R], ri *RunInfo) (median, mean, p95 Number) {
	var d []time.Duration
	for _, o := range outcomes {
		d = append(d, o.Elapsed)
	}
	t, err := TimingOf(d)
	ri.Note("timing", err)
	if err != nil {
		return
	}
	return Num(t.MedianMS), Num(t.MeanMS), Num(t.P95MS)
}

func itoa(n int) string { return strconv.Itoa(n) }

func pct(r Rate) string {
	v, ok := r.Value()
	if !ok {
		return "n/a"
	}
	return fmt.Sprintf("%.4f", v)
}

func signed(n Number, d int) string {
	if !n.OK {
		return "n/a"
	}
	s := n.Format(d)
	if n.V >= 0 && !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}
