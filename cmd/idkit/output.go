package main

import (
	"encoding/json"
	"io"
)

// writeJSON prints v as indented JSON, the output format of every command.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
