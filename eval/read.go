package eval

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The label files each evaluation reads from its folder.
const (
	AgeLabelsFile      = "labels.csv"   // file,age
	LivenessLabelsFile = "labels.csv"   // file,label (live|spoof)
	PairsFile          = "pairs.csv"    // a,b,same
	MRZLabelsFile      = "labels.jsonl" // {"file":…,"mrz":[…]}
	AAMVALabelsFile    = "labels.jsonl" // {"file":…,"fields":{…}}
)

// maxRowErrors bounds how many malformed rows one error lists: enough to
// show a pattern, not a wall of text for a file in the wrong format.
const maxRowErrors = 20

// Set is what a reader found in a labelled folder: the items whose files
// exist, and the rows whose files do not. A missing file is reported, not
// fatal: the run goes on with the rest and the report counts them.
type Set[T any] struct {
	Dir       string    // the folder
	LabelFile string    // path of the label file read
	Items     []T       // rows whose files exist, in file order
	Missing   []Missing // rows whose files do not exist
}

// Missing is a label row whose file could not be found.
type Missing struct {
	Line int    // 1-based line in the label file
	File string // the path as written in the label file
	Err  error  // why: usually fs.ErrNotExist
}

func (m Missing) String() string { return fmt.Sprintf("line %d: %s: %v", m.Line, m.File, m.Err) }

// Resolve joins a label path to the folder; absolute paths are kept. Label
// files use forward slashes on every system.
func Resolve(dir, file string) string {
	p := filepath.FromSlash(file)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// statFile says why path cannot be used as an input, or nil.
func statFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fs.ErrNotExist
		}
		return err
	}
	if !fi.Mode().IsRegular() {
		return errors.New("not a regular file")
	}
	return nil
}

// rowErrors collects malformed rows of one file, up to maxRowErrors.
type rowErrors struct {
	file  string
	errs  []error
	count int
}

func (r *rowErrors) add(line int, format string, args ...any) {
	r.count++
	if len(r.errs) < maxRowErrors {
		r.errs = append(r.errs, &RowError{File: r.file, Line: line, Err: fmt.Errorf(format, args...)})
	}
}

func (r *rowErrors) err() error {
	if r.count == 0 {
		return nil
	}
	errs := r.errs
	if r.count > len(errs) {
		errs = append(errs, fmt.Errorf("%s: %d more malformed rows not shown", r.file, r.count-len(errs)))
	}
	return errors.Join(errs...)
}

// readSet opens dir/name, parses it with parse, and splits the rows into
// present and missing files with rows(item).
func readSet[T any](dir, name string, parse func(r io.Reader, file, dir string) ([]T, error), rows func(T) (line int, files []string)) (*Set[T], error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: label file: %w", err)
	}
	defer f.Close()
	items, err := parse(f, path, dir)
	if err != nil {
		return nil, err
	}
	set := &Set[T]{Dir: dir, LabelFile: path}
	for _, it := range items {
		line, files := rows(it)
		ok := true
		for _, file := range files {
			if err := statFile(Resolve(dir, file)); err != nil {
				set.Missing = append(set.Missing, Missing{Line: line, File: file, Err: err})
				ok = false
				break
			}
		}
		if ok {
			set.Items = append(set.Items, it)
		}
	}
	return set, nil
}
