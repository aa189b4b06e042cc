package aamva

import (
	"slices"
	"strings"
)

// This file lists the places where an element could start in a body
// without separators, for the search in scan.go to choose among.

// maxScanMarkers bounds the places the scan weighs (the search is
// quadratic in them); real payloads have a few dozen. Past it, places
// after the first maxScanMarkers are left inside values.
const maxScanMarkers = 256

// maxRepeated bounds the element IDs and subfile types with more than one
// place that the search chooses among (it is exponential in them); of
// any further ones only the first place is kept.
const maxRepeated = 8

// place is where an element or a subfile could start.
type place struct {
	pos int
	// n is the length of the marker: 3 for an element ID, 5 for a subfile
	// type and its first element ID, 2 for a subfile type alone, 0 for
	// data after the last element.
	n int
	// id is the element it starts ("" for a subfile type alone), typ the
	// subfile type ("" for an element ID alone).
	id, typ string
	// spec is scanSpecs[id], known whether id is there: looked up once,
	// the search weighs every pair of places.
	spec  elemSpec
	known bool
	// rank is the element's rank in the version's order, -1 for one
	// outside it.
	rank int
	// parent is the index of the fixed-length element that ends here, for
	// an element the scan does not look for itself (a rare ID after a
	// date, say); -1 otherwise. It starts an element only after its parent.
	parent int
	// skip is what leaving this place inside a value costs: dropping its
	// element, or its subfile's type, when that has no other place.
	skip int
	// bits are the repeated keys it uses (see scanner.repeated).
	bits uint
	// overlapped marks an element ID that another of the same ID starts
	// inside ("LINDADADMARIE": LINDA and MARIE, or LIN and ADMARIE; "JOHN
	// DADADAM": JOHN and ADAM, or JOHNDA and AM). Nothing in the costs
	// tells the two apart; first names ending in DA (LINDA, BRENDA,
	// AMANDA) are more common than middle names starting with AD (ADAM,
	// ADRIAN, ADELE), so the later place is preferred.
	overlapped bool
}

// elemAt is where the element ID of the place starts (-1 for none).
func (p place) elemAt() int {
	if p.id == "" {
		return -1
	}
	return p.pos + p.n - 3
}

// scanner holds a body and the places elements could start in it.
type scanner struct {
	body    string
	types   []string
	version int
	places  []place
	// repeated are the keys (element IDs and subfile types) with more than
	// one place: a split uses each at most once, and the search keeps
	// track of which it used.
	repeated []string
}

// newScanner lists the places of a body where an element of the
// payload's version or a subfile of its types could start.
func newScanner(body string, types []string, version int) *scanner {
	sc := &scanner{body: body, types: types, version: version}
	found := sc.markedPlaces()
	found, keyPlaces := limitRepeated(found)
	// Each repeated key is a bit of the search's state.
	bit := map[string]uint{}
	for _, p := range found {
		for _, key := range []string{p.typ, p.id} {
			if _, ok := bit[key]; key != "" && !ok && len(keyPlaces[key]) > 1 {
				bit[key] = 1 << len(sc.repeated)
				sc.repeated = append(sc.repeated, key)
			}
		}
	}
	sc.places = mergePlaces(found, sc.forcedPlaces(found))
	sc.setSkipsAndBits(bit, keyPlaces)
	sc.markOverlapped()
	return sc
}

func (sc *scanner) newPlace(pos, n int, id, typ string, parent int) place {
	p := place{pos: pos, n: n, id: id, typ: typ, parent: parent, rank: -1}
	p.spec, p.known = scanSpecs[id]
	ranks := ranksV2On
	if sc.version == 1 {
		ranks = ranksV1
	}
	if r, ok := ranks[id]; ok {
		p.rank = r
	}
	return p
}

// markedPlaces lists the places that start with a marker (an element ID,
// or a subfile type and its first ID), up to maxScanMarkers, and a subfile
// type alone at the end of the body: a subfile declared in the header may
// end the body with no elements ("...DBF0 ZD").
func (sc *scanner) markedPlaces() []place {
	body := sc.body
	zLetters := ""
	for _, t := range sc.types {
		if t[0] == 'Z' {
			zLetters += t[1:2]
		}
	}
	var found []place
	for i := 0; i < len(body) && len(found) < maxScanMarkers; i++ {
		if n := sc.markerAt(i, zLetters); n > 0 {
			typ := ""
			if n == 5 {
				typ = body[i : i+2]
			}
			found = append(found, sc.newPlace(i, n, body[i+n-3:i+n], typ, -1))
		}
	}
	if t := len(body) - 2; t > 0 && body[t] == 'Z' && sc.hasType(body[t:]) && (len(found) == 0 || found[len(found)-1].pos < t) {
		found = append(found, sc.newPlace(t, 2, "", body[t:], -1))
	}
	return found
}

// markerAt returns the length of the marker at i: 3 for an element ID, 5
// for a subfile type and its first ID, 0 for none. Z element IDs count
// only in the Z subfiles the header declares (zLetters). A date must be
// followed by eight digits, sex by a D20 code and a fixed-length element
// by the next ID, right after its value or right after the ID (empty),
// which keeps most IDs inside values from being places at all (a document
// discriminator ending in "DBD", say).
func (sc *scanner) markerAt(i int, zLetters string) int {
	body := sc.body
	if isSubfileMarker(body[i:], sc.types) {
		return 5
	}
	if i+3 > len(body) {
		return 0
	}
	id := body[i : i+3]
	s, known := scanSpecs[id]
	switch {
	case id[0] == 'Z':
		if !isElementID(id) || !strings.Contains(zLetters, id[1:2]) {
			return 0
		}
	case !known:
		return 0
	case s.date:
		if _, ok := digitsAt(body, i+3, 8); !ok {
			return 0
		}
	case id == "DBC":
		if i+4 > len(body) || !sexCode(body[i+3:i+4]) {
			return 0
		}
	}
	if s.fixed > 0 && !sc.endsAt(i+3) && !sc.endsAt(i+3+s.fixed) && !sc.junkAt(i+3+s.fixed) {
		return 0
	}
	return 3
}

// limitRepeated keeps the places of at most maxRepeated keys with more
// than one place (the search is exponential in them) and only the first
// place of further keys. It returns the places kept and the positions of
// each key's places.
func limitRepeated(found []place) ([]place, map[string]map[int]bool) {
	keyPlaces := map[string]map[int]bool{}
	repeated := 0
	keep := found[:0]
	for _, p := range found {
		// A subfile marker can make both its type and its element ID
		// repeated: count what the place would add before taking it.
		keys := [...]struct {
			key string
			at  int
		}{{p.typ, p.pos}, {p.id, p.elemAt()}}
		added := 0
		for _, k := range keys {
			if k.key != "" && len(keyPlaces[k.key]) == 1 && !keyPlaces[k.key][k.at] {
				added++
			}
		}
		if repeated+added > maxRepeated {
			continue
		}
		repeated += added
		for _, k := range keys {
			if k.key == "" {
				continue
			}
			if keyPlaces[k.key] == nil {
				keyPlaces[k.key] = map[int]bool{}
			}
			keyPlaces[k.key][k.at] = true
		}
		keep = append(keep, p)
	}
	return keep, keyPlaces
}

// forcedPlaces lists the places where a fixed-length element ends, when
// no marker starts there: the next element starts there whatever its ID,
// so that "DCGUSADCHNONE" is DCG USA and DCH NONE although the scan does
// not look for DCH, and "DDB02132010ZD" ends with an empty ZD subfile.
// Each is sorted by position and has the index of its fixed-length
// element in found as parent.
func (sc *scanner) forcedPlaces(found []place) []place {
	body := sc.body
	taken := map[int]bool{}
	for _, p := range found {
		taken[p.pos] = true
	}
	var forced []place
	for k, p := range found {
		if p.spec.fixed == 0 {
			continue
		}
		j := p.pos + p.n + p.spec.fixed
		for j < len(body) && body[j] == ' ' {
			j++
		}
		if j >= len(body) || taken[j] {
			continue
		}
		var f place
		switch {
		case j+2 <= len(body) && sc.hasType(body[j:j+2]) && (j+2 == len(body) || !isElementID(body[j+2:])):
			f = sc.newPlace(j, 2, "", body[j:j+2], k)
		case isElementID(body[j:]):
			f = sc.newPlace(j, 3, body[j:j+3], "", k)
		case sc.junkAt(j):
			f = sc.newPlace(j, 0, "", "", k)
		default:
			continue
		}
		taken[j] = true
		forced = append(forced, f)
	}
	slices.SortFunc(forced, func(a, b place) int { return a.pos - b.pos })
	return forced
}

// mergePlaces merges the forced places into the found ones by position;
// the parents of the forced ones index the merged list.
func mergePlaces(found, forced []place) []place {
	merged := make([]place, 0, len(found)+len(forced))
	index := make([]int, len(found))
	f := 0
	for k, p := range found {
		for f < len(forced) && forced[f].pos < p.pos {
			merged = append(merged, forced[f])
			f++
		}
		index[k] = len(merged)
		merged = append(merged, p)
	}
	merged = append(merged, forced[f:]...)
	for k := range merged {
		if p := merged[k].parent; p >= 0 {
			merged[k].parent = index[p]
		}
	}
	return merged
}

// setSkipsAndBits gives each marked place the bits of the repeated keys it
// uses and, to the last place of an element ID that has no other place,
// the cost of dropping the element: leaving it inside a value loses the
// element, which the search counts once; likewise for the only place of a
// subfile type.
func (sc *scanner) setSkipsAndBits(bit map[string]uint, keyPlaces map[string]map[int]bool) {
	last := map[int]int{} // element position -> index of its last place
	for k, p := range sc.places {
		if p.parent < 0 && p.id != "" {
			last[p.elemAt()] = k
		}
	}
	for k := range sc.places {
		p := &sc.places[k]
		if p.parent >= 0 {
			continue
		}
		p.bits = bit[p.id]
		if p.typ != "" {
			p.bits |= bit[p.typ]
		}
		if p.id != "" && last[p.elemAt()] == k && len(keyPlaces[p.id]) == 1 {
			p.skip = sc.dropCost(p.id)
		}
		if p.typ != "" && len(keyPlaces[p.typ]) == 1 {
			p.skip += sc.dropCost(p.typ)
		}
	}
}

// markOverlapped marks the places whose element ID another place of the
// same ID starts inside (see place.overlapped).
func (sc *scanner) markOverlapped() {
	for k := range sc.places {
		p := &sc.places[k]
		if p.parent >= 0 || p.id == "" {
			continue
		}
		for _, q := range sc.places[k+1:] {
			if q.pos > p.elemAt()+2 {
				break
			}
			if d := q.elemAt() - p.elemAt(); q.parent < 0 && q.id == p.id && d > 0 {
				p.overlapped = true
			}
		}
	}
}

// junkAt reports whether the body ends at j with text that holds no
// element ID: data after the last element, which is kept as unparsed.
func (sc *scanner) junkAt(j int) bool {
	for i := j; i < len(sc.body); i++ {
		if isElementID(sc.body[i:]) {
			return false
		}
	}
	return j < len(sc.body)
}

// endsAt reports whether an element can end at j: the next element or
// subfile starts there (after padding spaces), or the body ends.
func (sc *scanner) endsAt(j int) bool {
	for j < len(sc.body) && sc.body[j] == ' ' {
		j++
	}
	rest := sc.body[j:]
	return len(rest) < 3 || isElementID(rest) || isSubfileMarker(rest, sc.types)
}

func (sc *scanner) hasType(t string) bool {
	return slices.Contains(sc.types, t)
}

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
