package aamva

import (
	"slices"
	"strings"
	"unicode"
)

// This file finds the elements of a body that has no separators: readers
// that drop control characters give one run of text in which the element
// IDs have to be found. IDs also occur inside values (HOLIDAY holds DAY,
// DADDARIO holds DAD and DAR, "209 CEDAR HILL DR" holds DAR, DAWSON holds
// DAW), so the scan lists every place an element could start and keeps the
// split whose elements look most like what the standard defines for the
// payload's version: values of the right form and length, each element at
// most once, the mandatory ones present.

// versionSet is a set of AAMVA versions, bit v for version v (1 to 10).
type versionSet uint16

// vers is the set of versionSet lo to hi.
func vers(lo, hi int) versionSet {
	var s versionSet
	for v := lo; v <= hi; v++ {
		s |= 1 << v
	}
	return s
}

func (s versionSet) has(v int) bool { return s&(1<<v) != 0 }

var (
	allVersions = vers(1, 10)
	version1    = vers(1, 1)
	version2On  = vers(2, 10)
	version4On  = vers(4, 10)
)

// elemSpec is what the scan knows of an element from the standard (Annex D
// of the DL/ID-2000 standard for version 1, of the Card Design Standard
// from 2003 on).
type elemSpec struct {
	// defined and mandatory are the versions that define the element and
	// those that make it mandatory.
	defined, mandatory versionSet
	// fixed is the length of a fixed-length element whose value is never
	// padded (dates, one-character codes): the next element starts right
	// after it.
	fixed int
	// size is the length the standard gives (F or V); a longer value of a
	// code or number is wrong, and a value shorter than it ending in one
	// space is a word, not padding.
	size int
	// text marks names and addresses: free text, where element IDs turn
	// up inside words; their length is not checked (issuers exceed it).
	text bool
	// date marks 8-digit dates.
	date bool
	// name marks the cardholder's names: they start with a letter, and a
	// cut right after a comma in one falls between its parts.
	name bool
	// written marks an element issuers write even empty (Washington's and
	// New Jersey's name suffix), so dropping it costs more.
	written bool
	// nonEmpty marks names that are never empty, mandatory or not
	// (version 1 has DAA or DAB and DAC).
	nonEmpty bool
	// valid checks the form of a non-empty value, spaces trimmed.
	valid func(string) bool
	// usual checks a valid value against the codes the standard lists;
	// issuers use others (New Jersey's compliance type B), so one that is
	// not costs less than a wrong value.
	usual func(string) bool
}

// specs are the elements the scan looks for: the ones issuers commonly
// write. The rare ones (residence address DAL-DAP, aliases, standard
// codes...) are left out because their IDs turn up inside values too
// often ("ADAM" holds DAM, "DANIEL" DAN); when present they stay attached
// to the value before them, so nothing is lost, unless they follow a
// fixed-length element, which ends where the next element starts.
var specs = map[string]elemSpec{
	// Names: DAA-DAB in version 1, DCS and DCT (all given names) in 2 and
	// 3, DCS, DAC and DAD from 4 on (DAC and DAD also in 1).
	"DAA": {defined: version1, size: 35, text: true, name: true, nonEmpty: true},
	"DAB": {defined: version1, size: 35, text: true, name: true, nonEmpty: true},
	"DAC": {defined: version1 | version4On, mandatory: version4On, size: 40, text: true, name: true, nonEmpty: true},
	"DAD": {defined: version1 | version4On, mandatory: version4On, size: 40, text: true, name: true},
	"DCS": {defined: version2On, mandatory: version2On, size: 40, text: true, name: true, nonEmpty: true},
	"DCT": {defined: vers(2, 3), mandatory: vers(2, 3), size: 80, text: true, name: true, nonEmpty: true},
	"DCU": {defined: version2On, size: 5, written: true, usual: suffix},
	"DCI": {defined: version2On, size: 33, text: true},

	"DAG": {defined: allVersions, mandatory: allVersions, size: 35, text: true},
	"DAH": {defined: allVersions, size: 35, text: true},
	"DAI": {defined: allVersions, mandatory: allVersions, size: 20, text: true},
	"DAJ": {defined: allVersions, mandatory: allVersions, fixed: 2, size: 2, valid: letters},
	"DAK": {defined: allVersions, mandatory: allVersions, size: 11, valid: postal},
	"DCG": {defined: version2On, mandatory: version2On, fixed: 3, size: 3, valid: letters},

	"DAQ": {defined: allVersions, mandatory: allVersions, size: 25},
	"DCF": {defined: version2On, mandatory: version2On, size: 25},
	"DCJ": {defined: version2On, size: 25},
	"DCK": {defined: version2On, size: 25},

	"DBA": {defined: allVersions, mandatory: allVersions, fixed: 8, size: 8, date: true},
	"DBB": {defined: allVersions, mandatory: allVersions, fixed: 8, size: 8, date: true},
	"DBD": {defined: allVersions, mandatory: allVersions, fixed: 8, size: 8, date: true},
	"DDB": {defined: version4On, fixed: 8, size: 8, date: true},
	"DDC": {defined: version4On, fixed: 8, size: 8, date: true},
	"DDH": {defined: version4On, fixed: 8, size: 8, date: true},
	"DDI": {defined: version4On, fixed: 8, size: 8, date: true},
	"DDJ": {defined: version4On, fixed: 8, size: 8, date: true},

	"DBC": {defined: allVersions, mandatory: allVersions, fixed: 1, size: 1, valid: sexCode},
	"DAU": {defined: allVersions, mandatory: version2On, size: 6, valid: startsWithDigit},
	"DAW": {defined: allVersions, size: 3, valid: weightDigits},
	"DAX": {defined: allVersions, size: 3, valid: weightDigits},
	"DCE": {defined: version2On, fixed: 1, size: 1, valid: digits},
	"DAY": {defined: allVersions, mandatory: version2On, size: 12, valid: letters},
	"DAZ": {defined: allVersions, size: 12, valid: letters},

	// Licence class, restrictions and endorsements: DAR-DAT in version 1
	// (F4, F10, F5, padded), DCA, DCB, DCD from 2 on.
	"DAR": {defined: version1, size: 4},
	"DAS": {defined: version1, size: 10},
	"DAT": {defined: version1, size: 5},
	"DCA": {defined: version2On, mandatory: version2On, size: 6},
	"DCB": {defined: version2On, mandatory: version2On, size: 12},
	"DCD": {defined: version2On, mandatory: version2On, size: 5},

	// Version 1 only: issue timestamp, duplicates, organ donor (to 3),
	// non-resident.
	"DBE": {defined: version1},
	"DBF": {defined: version1, size: 2},
	"DBH": {defined: vers(1, 3)},
	"DBI": {defined: version1, fixed: 1, size: 1, valid: oneOf("YN")},

	// One-character codes: compliance type F, M or N, truncation T, N or
	// U, indicators 1 (0, and Y or N as Virginia writes DDD).
	"DDA": {defined: version4On, fixed: 1, size: 1, valid: letters, usual: oneOf("FMN")},
	"DDD": {defined: version4On, fixed: 1, size: 1, valid: oneOf("01YN")},
	"DDE": {defined: version4On, mandatory: version4On, fixed: 1, size: 1, valid: oneOf("TNU")},
	"DDF": {defined: version4On, mandatory: version4On, fixed: 1, size: 1, valid: oneOf("TNU")},
	"DDG": {defined: version4On, mandatory: version4On, fixed: 1, size: 1, valid: oneOf("TNU")},
	"DDK": {defined: version4On, fixed: 1, size: 1, valid: oneOf("01YN")},
	"DDL": {defined: version4On, fixed: 1, size: 1, valid: oneOf("01YN")},
}

func letters(v string) bool {
	return strings.IndexFunc(v, func(c rune) bool { return !unicode.IsLetter(c) }) < 0
}

func digits(v string) bool {
	_, ok := digitsAt(v, 0, len(v))
	return ok
}

// oneOf accepts one of the characters of set.
func oneOf(set string) func(string) bool {
	return func(v string) bool { return len(v) == 1 && strings.Contains(set, v) }
}

// suffix accepts the name suffixes the standard lists (JR, SR, 1ST or I
// to 9TH or IX), with or without a final period, and NONE.
func suffix(v string) bool {
	switch strings.TrimSuffix(strings.ToUpper(v), ".") {
	case "JR", "SR", "ESQ", "NONE", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
		"1ST", "2ND", "3RD", "4TH", "5TH", "6TH", "7TH", "8TH", "9TH":
		return true
	}
	return false
}

func startsWithDigit(v string) bool { return v[0] >= '0' && v[0] <= '9' }

func sexCode(v string) bool { return strings.Contains("129MFXU", v) }

// weightDigits accepts what Result.weight reads: digits, maybe a unit.
func weightDigits(v string) bool {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(v), "LB"), "KG"))
	_, ok := digitsAt(v, 0, len(v))
	return ok && v != ""
}

// postal accepts a ZIP, ZIP+4 or Canadian postal code, or another code of
// letters, digits, spaces and dashes with at least one digit.
func postal(v string) bool {
	digit := false
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c == ' ' || c == '-' || unicode.IsLetter(c):
		default:
			return false
		}
	}
	return digit
}

// Costs of what a split does, in units of unlikeliness. A value of the
// wrong form costs more than dropping an optional element (leaving its ID
// and value inside the value before it) or cutting a word, so a split
// that makes a value wrong loses to one that keeps a name whole; dropping
// a mandatory element costs more than anything one wrong value does.
// Elements a later version added are often written early (Virginia's
// version 3 cards carry DDA-DDD), so only elements of earlier versions
// that the payload's does not define (DAR-DAT and DAA-DAB after version 1,
// DAC and DAD in versions 2 and 3) count against a split. The weights are
// set so that the separator-less forms of the IdParser payloads of the
// development set split as their separated forms do (31 of 32, all but
// Oregon's DAL; TestIdParserVectorsWithoutSeparators), and so do those of
// the tests' names holding IDs.
const (
	costWrong         = 4 // a value of the wrong form or length, an empty mandatory one or name
	costUnusual       = 2 // a value of the right form that is none of the standard's codes
	costEmptyAfter    = 2 // an empty optional element right after a name or address: its ID ends the word
	costDropMandatory = 8 // a mandatory element found nowhere although its ID occurs
	costRetired       = 2 // an element of earlier versions that the payload's version does not define
	costEmptyUnusual  = 2 // an empty element the version does not define
	costComma         = 4 // a cut after a comma inside a name: a part of it, not an element
	costWord          = 2 // a cut after a single space inside text: a word, not an element
	costDropWritten   = 3 // an element written even empty found nowhere although its ID occurs
	costDropOptional  = 1 // an optional element found nowhere although its ID occurs
	costInCode        = 1 // an element ID left inside a number or code rather than text
	costLateMain      = 1 // the DL or ID subfile starting after the beginning
	costJunk          = 3 // data after the last element that is no element
)

// canonicalOrder is the order of the elements in the standard's tables
// from version 2 on (mandatory, then optional ones); version 1 lists them
// by ID. Issuers mostly keep to it, so among splits that cost the same the
// one with the fewest elements out of this order wins: in MCDAID the DAI
// that follows the family name is not the city when one follows the
// street.
var canonicalOrder = func() map[string]int {
	m := map[string]int{}
	for i, id := range strings.Fields(`DCA DCB DCD DBA DCS DCT DAC DAD DBD DBB DBC DAY DAU DAG DAI DAJ
		DAK DAQ DCF DCG DDE DDF DDG DAH DAZ DCI DCJ DCK DCU DCE DDA DDB DDC DDD DAW DAX DDH DDI DDJ
		DDK DDL`) {
		m[id] = i
	}
	return m
}()

// outOfOrder reports whether element b following element a goes back in
// the canonical order.
func (sc *scanner) outOfOrder(a, b string) bool {
	if sc.version == 1 {
		_, okA := specs[a]
		_, okB := specs[b]
		return okA && okB && b < a
	}
	ra, okA := canonicalOrder[a]
	rb, okB := canonicalOrder[b]
	return okA && okB && rb < ra
}

// orderScale puts the costs above before the order: a split's cost is
// scaled by it and its elements out of order added, which stay fewer.
const orderScale = 2 * maxScanMarkers

// maxScanMarkers bounds the places the scan weighs (the search is
// quadratic in them); real payloads have a few dozen. Past it, places
// after the first maxScanMarkers are left inside values.
const maxScanMarkers = 256

// maxRepeated bounds the element IDs and subfile types with more than one
// place that the search chooses among (it is exponential in them); of
// any further ones only the first place is kept.
const maxRepeated = 8

// cand is a place where an element could start.
type cand struct {
	pos int
	// n is the length of the marker: 3 for an element ID, 5 for a subfile
	// type and its first element ID, 2 for a subfile type alone, 0 for
	// data after the last element.
	n int
	// id is the element it starts ("" for a subfile type alone), typ the
	// subfile type ("" for an element ID alone).
	id, typ string
	// parent is the index of the fixed-length element that ends here, for
	// an element the scan does not look for itself (a rare ID after a
	// date, say); -1 otherwise. It starts an element only after its parent.
	parent int
	// skip is what leaving this place inside a value costs: dropping its
	// element, when the element has no other place.
	skip int
	// bits are the repeated keys it uses (see scanner.repeated).
	bits uint
}

// elemAt is where the element ID of the place starts (-1 for none).
func (c cand) elemAt() int {
	if c.id == "" {
		return -1
	}
	return c.pos + c.n - 3
}

// scanner holds a body and the places elements could start in it.
type scanner struct {
	body    string
	types   []string
	version int
	cands   []cand
	// repeated are the keys (element IDs and subfile types) with more than
	// one place: a split uses each at most once, and the search keeps
	// track of which it used.
	repeated []string
}

// scanElements splits a body without separators into elements (and
// subfile types) at the places that give the cheapest split by the costs
// above, each element and subfile starting once. The cost of a split is a
// sum over its elements of what depends on an element and the next, plus
// what the repeated keys not used cost, so the cheapest split is found by
// dynamic programming over the places, with the set of repeated keys used
// so far as state. Among splits of the same cost the one with the fewest
// elements out of canonicalOrder wins, then the one found first.
//
// Some splits no cost tells apart and the scan gets wrong: a name that
// ends with the ID of the element after it (first name HADDAD, then DAD
// PAUL, reads as HAD and DADPAUL), and a word of the street holding the
// ID of the city after it (12 MCDAID ST, then DAI RICHMOND).
func scanElements(body string, types []string, version int) []string {
	sc := newScanner(body, types, min(max(version, 1), 10))
	var out []string
	start := 0
	for _, k := range sc.best() {
		at := sc.cands[k].pos
		if at > start {
			out = append(out, body[start:at])
		}
		start = at
	}
	return append(out, body[start:])
}

func newScanner(body string, types []string, version int) *scanner {
	sc := &scanner{body: body, types: types, version: version}
	zLetters := ""
	for _, t := range types {
		if t[0] == 'Z' {
			zLetters += t[1:2]
		}
	}
	// marker returns the length of the marker at i: 3 for an element ID,
	// 5 for a subfile type and its first ID, 0 for none. A date must be
	// followed by eight digits, sex by a D20 code and a fixed-length
	// element by the next ID, right after its value or right after the ID
	// (empty), which keeps most IDs inside values from being places at all
	// (a document discriminator ending in "DBD", say).
	marker := func(i int) int {
		if isSubfileMarker(body[i:], types) {
			return 5
		}
		if i+3 > len(body) {
			return 0
		}
		id := body[i : i+3]
		s, known := specs[id]
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
	var found []cand
	for i := 0; i < len(body) && len(found) < maxScanMarkers; i++ {
		if n := marker(i); n > 0 {
			c := cand{pos: i, n: n, id: body[i+n-3 : i+n], parent: -1}
			if n == 5 {
				c.typ = body[i : i+2]
			}
			found = append(found, c)
		}
	}
	// A subfile declared in the header may end the body with no elements
	// ("...DBF0 ZD").
	if t := len(body) - 2; t > 0 && body[t] == 'Z' && sc.hasType(body[t:]) && (len(found) == 0 || found[len(found)-1].pos < t) {
		found = append(found, cand{pos: t, n: 2, typ: body[t:], parent: -1})
	}
	// Keys with more than one place; past maxRepeated, later places of
	// further keys are dropped.
	places := map[string]map[int]bool{}
	addPlace := func(key string, at int) {
		if places[key] == nil {
			places[key] = map[int]bool{}
		}
		places[key][at] = true
	}
	keep := found[:0]
	for _, c := range found {
		if c.typ != "" && sc.overflow(places, c.typ, c.pos) || c.id != "" && sc.overflow(places, c.id, c.elemAt()) {
			continue
		}
		if c.typ != "" {
			addPlace(c.typ, c.pos)
		}
		if c.id != "" {
			addPlace(c.id, c.elemAt())
		}
		keep = append(keep, c)
	}
	found = keep
	bit := map[string]uint{}
	for _, c := range found {
		for _, key := range []string{c.typ, c.id} {
			if _, ok := bit[key]; key != "" && !ok && len(places[key]) > 1 {
				bit[key] = 1 << len(sc.repeated)
				sc.repeated = append(sc.repeated, key)
			}
		}
	}
	// A fixed-length element ends where the next one starts, whatever its
	// ID: "DCGUSADCHNONE" is DCG USA and DCH NONE although the scan does not
	// look for DCH, "DDB02132010ZD" ends with an empty ZD subfile.
	taken := map[int]bool{}
	for _, c := range found {
		taken[c.pos] = true
	}
	var forced []cand
	for k, c := range found {
		s := specs[c.id]
		if s.fixed == 0 {
			continue
		}
		j := c.pos + c.n + s.fixed
		for j < len(body) && body[j] == ' ' {
			j++
		}
		if j >= len(body) || taken[j] {
			continue
		}
		f := cand{pos: j, parent: k}
		switch {
		case j+2 <= len(body) && sc.hasType(body[j:j+2]) && (j+2 == len(body) || !isElementID(body[j+2:])):
			f.n, f.typ = 2, body[j:j+2]
		case isElementID(body[j:]):
			f.n, f.id = 3, body[j:j+3]
		case sc.junkAt(j):
			f.n = 0
		default:
			continue
		}
		taken[j] = true
		forced = append(forced, f)
	}
	slices.SortFunc(forced, func(a, b cand) int { return a.pos - b.pos })
	// Merge by position, renumbering parents.
	index := make([]int, len(found))
	f := 0
	for k, c := range found {
		for f < len(forced) && forced[f].pos < c.pos {
			sc.cands = append(sc.cands, forced[f])
			f++
		}
		index[k] = len(sc.cands)
		sc.cands = append(sc.cands, c)
	}
	sc.cands = append(sc.cands, forced[f:]...)
	for k := range sc.cands {
		if p := sc.cands[k].parent; p >= 0 {
			sc.cands[k].parent = index[p]
		}
	}
	// Skip costs and key bits.
	last := map[int]int{} // element position -> index of its last place
	for k, c := range sc.cands {
		if c.parent < 0 && c.id != "" {
			last[c.elemAt()] = k
		}
	}
	for k := range sc.cands {
		c := &sc.cands[k]
		if c.parent >= 0 {
			continue
		}
		c.bits = bit[c.id]
		if c.typ != "" {
			c.bits |= bit[c.typ]
		}
		if c.id != "" && last[c.elemAt()] == k && len(places[c.id]) == 1 {
			c.skip = sc.dropCost(c.id)
		}
	}
	return sc
}

// overflow reports whether a place of key at is one too many: the key
// already has a place elsewhere and maxRepeated keys are repeated.
func (sc *scanner) overflow(places map[string]map[int]bool, key string, at int) bool {
	if len(places[key]) == 0 || places[key][at] {
		return false
	}
	n := 0
	for k, p := range places {
		if len(p) > 1 && k != key {
			n++
		}
	}
	return len(places[key]) == 1 && n >= maxRepeated
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
	for _, typ := range sc.types {
		if typ == t {
			return true
		}
	}
	return false
}

// dropCost is what leaving every place of a key inside values costs.
func (sc *scanner) dropCost(key string) int {
	s, ok := specs[key]
	switch {
	case len(key) == 2: // a subfile type: its elements are read all the same
		return 0
	case !ok:
		return costDropOptional
	case sc.retired(s):
		return 0
	case s.mandatory.has(sc.version):
		return costDropMandatory
	case s.written:
		return costDropWritten
	}
	return costDropOptional
}

// retired reports whether an element of earlier versions is not defined by
// the payload's: DAR-DAT after version 1, DAC and DAD in versions 2 and 3.
// Elements of later versions are not: issuers write them early.
func (sc *scanner) retired(s elemSpec) bool {
	return !s.defined.has(sc.version) && s.defined&vers(1, sc.version-1) != 0
}

// best returns the indexes of the places of the cheapest split.
//
// A state is a node (0 for the start of the body, k+1 for place k), the
// repeated keys used so far, and whether the element before the node's
// is a name or address that is not empty (for costEmptyAfter).
func (sc *scanner) best() []int {
	n := len(sc.cands)
	masks := 1 << len(sc.repeated)
	per := 2 * masks
	const inf = int(^uint(0) >> 2)
	dp := make([]int, (n+1)*per)
	from := make([]int32, (n+1)*per)
	for i := range dp {
		dp[i] = inf
	}
	dp[0] = 0
	// Prefix sums over the places: skip costs, and places that are not
	// forced (an element ID that may be left inside a value).
	skip := make([]int, n+1)
	ids := make([]int, n+1)
	for k, c := range sc.cands {
		skip[k+1] = skip[k] + c.skip
		ids[k+1] = ids[k]
		if c.parent < 0 {
			ids[k+1]++
		}
	}
	bestCost, bestState := inf, -1
	edges := make([]int, n+1)
	empty := make([]bool, n+1) // the element at a is empty when b follows
	for a := 0; a <= n; a++ {
		if slices.Min(dp[a*per:(a+1)*per]) == inf {
			continue
		}
		// edges[b] is the cost of the element at a ending at place b
		// (b == n: at the end of the body), -1 where b cannot follow a.
		var c cand
		s, optional := elemSpec{}, false
		if a > 0 {
			c = sc.cands[a-1]
			var known bool
			s, known = specs[c.id]
			optional = known && c.n == 3 && !s.mandatory.has(sc.version) && !s.nonEmpty
		}
		for b := a; b <= n; b++ {
			edges[b] = sc.edge(a, b, skip, ids)
			if edges[b] < 0 {
				continue
			}
			edges[b] *= orderScale
			if a > 0 && b < n && sc.outOfOrder(c.id, sc.cands[b].id) {
				edges[b]++
			}
			if a > 0 && edges[b] >= 0 {
				end := len(sc.body)
				if b < n {
					end = sc.cands[b].pos
				}
				empty[b] = strings.TrimSpace(sc.body[c.pos+c.n:end]) == ""
			}
		}
		for st := a * per; st < (a+1)*per; st++ {
			d := dp[st]
			if d == inf {
				continue
			}
			afterText, m := (st-a*per)/masks == 1, (st-a*per)%masks
			for b := a; b <= n; b++ {
				e := edges[b]
				if e < 0 {
					continue
				}
				if afterText && empty[b] && optional {
					e += costEmptyAfter * orderScale
				}
				if b == n {
					total := d + e
					for i, key := range sc.repeated {
						if m&(1<<i) == 0 {
							total += sc.dropCost(key) * orderScale
						}
					}
					if total < bestCost {
						bestCost, bestState = total, st
					}
					continue
				}
				bits := sc.cands[b].bits
				if uint(m)&bits != 0 {
					continue
				}
				next := (b+1)*per + (m | int(bits))
				if a > 0 && s.text && !empty[b] {
					next += masks
				}
				if d+e < dp[next] {
					dp[next], from[next] = d+e, int32(st)
				}
			}
		}
	}
	var cuts []int
	for st := bestState; st >= per; st = int(from[st]) {
		cuts = append(cuts, st/per-1)
	}
	slices.Reverse(cuts)
	return cuts
}

// edge is the cost of the element starting at node a (0: the text before
// the first element) when the next one starts at place b (n: none), with
// the places it leaves inside its value; -1 when b cannot follow a.
func (sc *scanner) edge(a, b int, skip, ids []int) int {
	n := len(sc.cands)
	end := len(sc.body)
	if b < n {
		nb := sc.cands[b]
		end = nb.pos
		if nb.parent >= 0 && nb.parent != a-1 {
			return -1
		}
	}
	if a == 0 {
		cost := skip[b]
		if end > 0 {
			cost += costWrong // text before the first element
		}
		return cost
	}
	c := sc.cands[a-1]
	valueAt := c.pos + c.n
	if b < n && end < valueAt {
		return -1
	}
	s := specs[c.id]
	if s.fixed > 0 && c.n > 2 && end > valueAt && end < valueAt+s.fixed {
		return -1
	}
	// Places strictly between a and b are left inside values: those past
	// the marker inside this value, the others overlapping it.
	cost := skip[b] - skip[a]
	if own := c.elemAt(); own > c.pos {
		// A subfile marker: its element's own place is not left out.
		for k := a; k < b && sc.cands[k].pos <= own; k++ {
			if sc.cands[k].pos == own {
				cost -= sc.cands[k].skip
			}
		}
	}
	switch c.n {
	case 0:
		return cost + costJunk
	case 2:
		if strings.TrimSpace(sc.body[valueAt:end]) != "" {
			cost += costWrong
		}
		return cost
	}
	cost += sc.valueCost(c.id, sc.body[valueAt:end])
	if _, known := specs[c.id]; known && !s.text {
		first := a
		for first < b && sc.cands[first].pos < valueAt {
			first++
		}
		cost += costInCode * (ids[b] - ids[first])
	}
	if c.typ != "" && c.typ == sc.types[0] && c.pos > 0 {
		cost += costLateMain
	}
	if b < n {
		cost += sc.wordCut(c, end)
	}
	return cost
}

// valueCost is what an element's raw value costs.
func (sc *scanner) valueCost(id, raw string) int {
	s, ok := specs[id]
	if !ok {
		return 0
	}
	total := 0
	if sc.retired(s) {
		total += costRetired
	}
	v := strings.TrimSpace(raw)
	switch {
	case v == "" && (s.mandatory.has(sc.version) || s.nonEmpty):
		total += costWrong
	case v == "" && !s.defined.has(sc.version):
		total += costEmptyUnusual
	case v == "":
	case s.fixed > 0 && len(v) != s.fixed,
		!s.text && s.size > 0 && len(v) > s.size,
		s.valid != nil && !s.valid(v),
		s.name && !unicode.IsLetter([]rune(raw)[0]):
		total += costWrong
	case s.usual != nil && !s.usual(v):
		total += costUnusual
	}
	return total
}

// wordCut is the cost of a cut at pos, after the element c, where a word
// starts inside text: after a single space that is not padding to the
// element's size ("100 DAHLIA ST"), or after a comma in a name, which
// separates its parts ("SMITH,JOHN,DACOSTA"; Ontario ends names with a
// comma, but pads them to their size).
func (sc *scanner) wordCut(c cand, pos int) int {
	raw := sc.body[c.pos+c.n : pos]
	s, ok := specs[c.id]
	switch {
	case !ok:
	case s.name && strings.HasSuffix(raw, ","):
		return costComma
	case strings.HasSuffix(raw, " ") && !strings.HasSuffix(raw, "  ") && len(raw) < s.size:
		return costWord
	}
	return 0
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
