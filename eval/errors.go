package eval

import (
	"errors"
	"fmt"
)

// ErrEmpty is returned by a metric that has nothing to measure, such as a
// mean over no values.
var ErrEmpty = errors.New("eval: no values")

// ErrOneClass is returned by a metric that needs both positives and
// negatives (AUC, EER, APCER/BPCER, TAR@FAR) when one class is absent.
var ErrOneClass = errors.New("eval: need both positive and negative examples")

// ErrLength is returned when paired slices (predictions and truths) differ
// in length.
var ErrLength = errors.New("eval: slices differ in length")

// ErrBadValue is returned for a NaN or infinite score or age, which no
// metric can order or average.
var ErrBadValue = errors.New("eval: value is NaN or infinite")

// RowError is a malformed row in a label file. Its message names the file
// and the 1-based line so the row can be fixed by hand.
type RowError struct {
	File string // path of the label file
	Line int    // 1-based line number; 0 when the error is about the whole file
	Err  error
}

func (e *RowError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// ItemError marks a per-item failure with a short machine code such as
// "no_face", which the runner counts by code. Per-item functions return it
// (or an error the runner's Classify maps to a code) for expected failures.
type ItemError struct {
	Code string // snake_case, e.g. "no_face"
	Err  error  // the underlying error, may be nil
}

func (e *ItemError) Error() string {
	if e.Err == nil {
		return e.Code
	}
	return e.Code + ": " + e.Err.Error()
}

func (e *ItemError) Unwrap() error { return e.Err }

// CodeError wraps err with a code for the runner's error counts.
func CodeError(code string, err error) error { return &ItemError{Code: code, Err: err} }
