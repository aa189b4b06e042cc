package main

import (
	"encoding/json"
	"errors"
	"io"
)

// writeJSON prints v as indented JSON, the output format of every command.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// errInterrupted ends a command stopped by Ctrl-C after it printed what it
// had: the images left were not analysed, not faceless, so a count of
// failed images would mislead.
var errInterrupted = errors.New("interrupted: the results above are partial")
