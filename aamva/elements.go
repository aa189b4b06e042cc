package aamva

import (
	"strings"
	"unicode"
)

// isElementID reports whether s starts with something shaped like an
// element ID: D followed by A-D and a letter, or Z and two letters.
func isElementID(s string) bool {
	if len(s) < 3 || !isUpper(s[1]) || !isUpper(s[2]) {
		return false
	}
	return s[0] == 'D' && s[1] <= 'D' || s[0] == 'Z'
}

// belongsTo reports whether an element ID fits a subfile type: D elements
// in DL and ID subfiles, Zx elements in the Zx subfile.
func belongsTo(id, typ string) bool {
	if typ[0] == 'Z' {
		return id[0] == 'Z' && id[1] == typ[1]
	}
	return id[0] == 'D'
}

// warnAmbiguousSplit is the warning for a body without separators that
// splits in more than one way at the same cost (scanElements).
const warnAmbiguousSplit = "elements without separators split in more than one way that fits equally well; the one chosen may be wrong"

// readElements splits the body into subfiles and elements.
func (r *Result) readElements(body string) {
	types := []string{}
	for _, d := range r.Header.Subfiles {
		types = append(types, d.Type)
	}
	hasMain := false
	for _, t := range types {
		if t == "DL" || t == "ID" {
			hasMain = true
		}
	}
	if !hasMain {
		types = append([]string{"DL"}, types...)
		r.warn("no DL or ID subfile designator; elements read as DL")
	}

	var tokens []string
	switch {
	case strings.IndexFunc(body, unicode.IsControl) >= 0:
		tokens = strings.FieldsFunc(body, unicode.IsControl)
	case strings.Contains(body, "|"):
		r.warn("elements separated by | instead of line feeds")
		tokens = strings.Split(body, "|")
	default:
		r.warn("no element separators; elements found by their IDs")
		var ambiguous bool
		tokens, ambiguous = scanElements(body, types, r.Header.Version)
		if ambiguous {
			r.warn(warnAmbiguousSplit)
		}
	}

	cur := r.subfile(types[0]) // an index: Subfiles grows
	for _, t := range tokens {
		if strings.TrimSpace(t) == "" {
			continue
		}
		// A subfile starts with its type, glued to its first element or
		// alone on a line.
		for _, typ := range types {
			if strings.HasPrefix(t, typ) && (len(t) == 2 || isElementID(t[2:]) && belongsTo(t[2:], typ)) {
				cur = r.subfile(typ)
				t = t[2:]
				break
			}
		}
		if t == "" {
			continue
		}
		if !isElementID(t) {
			r.Unparsed = append(r.Unparsed, t)
			r.warn("data that is not an element: %q", clip(t))
			continue
		}
		id := t[:3]
		if !belongsTo(id, r.Subfiles[cur].Type) {
			// A subfile that starts without its type (a Z subfile right
			// after the DL data), or DL data after a Z subfile.
			want := types[0]
			if id[0] == 'Z' {
				want = id[:2]
			}
			r.warn("element %s outside subfile %s: subfile %s starts without its type", id, r.Subfiles[cur].Type, want)
			cur = r.subfile(want)
		}
		r.Subfiles[cur].Elements = append(r.Subfiles[cur].Elements, Element{ID: id, Value: t[3:]})
		if _, seen := r.Elements[id]; !seen {
			r.Elements[id] = strings.TrimSpace(t[3:])
		}
	}
	// Drop subfiles that stayed empty (declared but absent).
	var kept []Subfile
	for _, sf := range r.Subfiles {
		if len(sf.Elements) > 0 {
			kept = append(kept, sf)
		}
	}
	r.Subfiles = kept
	for _, sf := range r.Subfiles {
		if sf.Type == "DL" || sf.Type == "ID" {
			r.DocumentType = sf.Type
			break
		}
	}
}

// subfile returns the index of the subfile of a type, adding it when new.
func (r *Result) subfile(typ string) int {
	for i := range r.Subfiles {
		if r.Subfiles[i].Type == typ {
			return i
		}
	}
	r.Subfiles = append(r.Subfiles, Subfile{Type: typ, Elements: []Element{}})
	return len(r.Subfiles) - 1
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
