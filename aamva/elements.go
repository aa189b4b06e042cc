package aamva

import (
	"strings"
	"unicode"
)

// scanIDs are the elements found in payloads without separators: the ones
// issuers commonly write. The rare ones (residence address DAL-DAP, aliases,
// standard codes...) are left out because their IDs turn up inside values
// too often ("ADAM" holds DAM); when present they stay attached to the
// value before them, so nothing is lost.
var scanIDs = idSet(`
	DAA DAB DAC DAD DAG DAH DAI DAJ DAK DAQ DAR DAS DAT DAU DAW DAY DAZ
	DBA DBB DBC DBD DBF DBH
	DCA DCB DCD DCE DCF DCG DCI DCJ DCK DCS DCT DCU
	DDA DDB DDC DDD DDE DDF DDG DDH DDI DDJ DDK DDL`)

// dateIDs hold 8-digit dates.
var dateIDs = idSet("DBA DBB DBD DDB DDC DDH DDI DDJ DBL")

// fixedLength are elements of one fixed length (AAMVA type F): in a
// payload without separators the next element must start right after.
var fixedLength = map[string]int{"DBA": 8, "DBB": 8, "DBD": 8, "DDB": 8, "DDH": 8, "DDI": 8, "DDJ": 8,
	"DBC": 1, "DDA": 1, "DDD": 1, "DDE": 1, "DDF": 1, "DDG": 1, "DDK": 1, "DDL": 1, "DCE": 1,
	"DAJ": 2, "DCG": 3}

func idSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, id := range strings.Fields(list) {
		m[id] = true
	}
	return m
}

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
		tokens = scanElements(body, types)
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

// scanElements splits a body without separators at the element IDs it
// knows. A date element must be followed by eight digits, sex by a D20
// code and a fixed-length element by the next ID, which keeps most IDs
// that occur inside values (a document discriminator ending in "DBD", say)
// from splitting them. An ID starts only one element (elements do not
// repeat): the first occurrence, unless a later one gives fewer elements
// that are empty or of the wrong fixed length. So in DCSHOLIDAY...DBC1DAYBRO
// the DAY of HOLIDAY does not end the family name, and the DAD of DADDARIO
// does not take the middle name while the real DAD is glued to the element
// before it.
func scanElements(body string, types []string) []string {
	zLetters := ""
	for _, t := range types {
		if t[0] == 'Z' {
			zLetters += t[1:2]
		}
	}
	// marker returns the length of the marker at i: 3 for an element ID,
	// 5 for a subfile type and its first ID, 0 for none.
	marker := func(i int) int {
		if isSubfileMarker(body[i:], types) {
			return 5
		}
		if i+3 > len(body) {
			return 0
		}
		id := body[i : i+3]
		switch {
		case id[0] == 'Z':
			if !isElementID(id) || !strings.Contains(zLetters, id[1:2]) {
				return 0
			}
		case !scanIDs[id]:
			return 0
		case dateIDs[id]:
			if _, ok := digitsAt(body, i+3, 8); !ok {
				return 0
			}
		case id == "DBC":
			if i+4 > len(body) || !strings.ContainsRune("129MFXU", rune(body[i+3])) {
				return 0
			}
		}
		if n, ok := fixedLength[id]; ok {
			j := i + 3 + n
			for j < len(body) && body[j] == ' ' {
				j++
			}
			if j+3 <= len(body) && !isElementID(body[j:]) && !isSubfileMarker(body[j:], types) {
				return 0
			}
		}
		return 3
	}
	type cand struct{ pos, n int }
	var cands []cand
	occurrences := map[string][]int{} // element ID -> positions of its 3-markers
	var ids []string                  // IDs in order of first occurrence
	for i := 0; i < len(body); i++ {
		n := marker(i)
		if n == 0 {
			continue
		}
		cands = append(cands, cand{i, n})
		if n == 3 {
			id := body[i : i+3]
			if occurrences[id] == nil {
				ids = append(ids, id)
			}
			occurrences[id] = append(occurrences[id], i)
		}
	}
	// split cuts the body at the markers, each element ID at its chosen
	// occurrence (the first when none is chosen), markers not overlapping.
	split := func(chosen map[string]int) []int {
		var cuts []int
		seen := map[string]bool{}
		next := 0
		for _, c := range cands {
			id := body[c.pos+c.n-3 : c.pos+c.n]
			if c.pos < next || c.n == 3 && seen[id] {
				continue
			}
			if at, ok := chosen[id]; ok && c.n == 3 && at != c.pos {
				continue
			}
			cuts = append(cuts, c.pos)
			seen[id] = true
			next = c.pos + c.n
		}
		return cuts
	}
	// cost counts the elements a split leaves empty or of the wrong length.
	cost := func(cuts []int) int {
		bad := 0
		for k, at := range cuts {
			end := len(body)
			if k+1 < len(cuts) {
				end = cuts[k+1]
			}
			n := marker(at)
			id, v := body[at+n-3:at+n], strings.TrimSpace(body[at+n:end])
			if want, ok := fixedLength[id]; v == "" || ok && len(v) != want {
				bad++
			}
		}
		return bad
	}
	chosen := map[string]int{}
	if len(cands) <= maxScanMarkers {
		best := cost(split(chosen))
		for _, id := range ids {
			for _, at := range occurrences[id][1:] {
				try := map[string]int{id: at}
				for k, v := range chosen {
					if k != id {
						try[k] = v
					}
				}
				if c := cost(split(try)); c < best {
					best, chosen = c, try
				}
			}
		}
	}
	var out []string
	start := 0
	for _, at := range split(chosen) {
		if at > start {
			out = append(out, body[start:at])
		}
		start = at
	}
	return append(out, body[start:])
}

// maxScanMarkers bounds the search for the occurrence of repeated IDs
// (quadratic in the markers); real payloads have a few dozen.
const maxScanMarkers = 256

// isSubfileMarker reports whether s starts with a subfile type and the
// first element ID of that subfile.
func isSubfileMarker(s string, types []string) bool {
	for _, t := range types {
		if strings.HasPrefix(s, t) && len(s) >= 5 && isElementID(s[2:]) && belongsTo(s[2:5], t) {
			return true
		}
	}
	return false
}
