package aamva

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file finds the elements of a body that has no separators: readers
// that drop control characters give one run of text in which the element
// IDs have to be found. IDs also occur inside values (HOLIDAY holds DAY,
// DADDARIO holds DAD and DAR, "209 CEDAR HILL DR" holds DAR, DAWSON holds
// DAW), so the scan lists every place an element could start
// (scan_places.go) and keeps the split whose elements look most like what
// the standard defines for the payload's version (scan_spec.go): values of
// the right form and length, each element at most once, the mandatory
// ones present.

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
	costEmptyAfter    = 2 // an empty optional element right after a word that may go on: its ID ends the word
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

// tieBreakScale puts the costs above before the tie-breaks: a split's cost
// is scaled by it, then one is added for each element out of order and
// each element that starts at the earlier of two overlapping places of its
// ID; there are fewer of those than tieBreakScale (places number at most
// twice maxScanMarkers with the forced ones).
const tieBreakScale = 4 * maxScanMarkers

// scanElements splits a body without separators into elements (and
// subfile types) at the places that give the cheapest split by the costs
// above, each element and subfile starting once. The cost of a split is a
// sum over its elements of what depends on an element and the next, plus
// what the repeated keys not used cost, so the cheapest split is found by
// dynamic programming over the places, with the set of repeated keys used
// so far as state. Among splits of the same cost the one with the fewest
// tie-breaks wins (elements out of canonicalOrder, elements at the earlier
// of two overlapping places of their ID: place.overlapped), then the one
// found first; ambiguous reports that another split cost the same.
//
// Some splits no cost tells apart and the scan gets wrong, with ambiguous
// set: a name that ends with the ID of the element after it (first name
// HADDAD, then DAD PAUL, reads as HAD and DADPAUL), a middle name that
// starts with AD (JOHN ADAM reads as JOHNDA and AM), and a word of the
// street holding the ID of the city after it (12 MCDAID ST, then DAI
// RICHMOND, reads as 12 MC and D STDAIRICHMOND). Others it gets wrong
// without: an empty DAH after a street whose last word is not one that
// ends addresses (12 BROADWAY) stays in the street, and of a DL and an ID
// subfile both present only the first is read, the second inside its last
// value, since each element starts once.
func scanElements(body string, types []string, version int) (tokens []string, ambiguous bool) {
	sc := newScanner(body, types, min(max(version, 1), 10))
	cuts, ambiguous := sc.best()
	start := 0
	for _, k := range cuts {
		at := sc.places[k].pos
		if at > start {
			tokens = append(tokens, body[start:at])
		}
		start = at
	}
	return append(tokens, body[start:]), ambiguous
}

// outOfOrder reports whether element b following element a goes back in
// the version's order.
func outOfOrder(a, b place) bool {
	return a.rank >= 0 && b.rank >= 0 && b.rank < a.rank
}

// dropCost is what leaving every place of a key inside values costs.
func (sc *scanner) dropCost(key string) int {
	s, ok := scanSpecs[key]
	switch {
	case len(key) == 2, !ok: // a declared subfile that its type does not start, a Z element
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
	return !s.defined.has(sc.version) && s.defined&versionRange(1, sc.version-1) != 0
}

// best returns the indexes of the places of the cheapest split, and
// whether another split costs the same before the tie-breaks.
//
// A state is a node (0 for the start of the body, k+1 for place k), the
// repeated keys used so far, and, for an element that may be empty,
// whether the element before it ends with a word that its ID may be the
// end of (for costEmptyAfter; see edgesFrom). tied marks a state that
// another path reaches at the same cost before the tie-breaks: a cheapest
// split through it has a rival.
func (sc *scanner) best() (cuts []int, ambiguous bool) {
	n := len(sc.places)
	masks := 1 << len(sc.repeated)
	per := 2 * masks
	const inf = int(^uint(0) >> 2)
	dp := make([]int, (n+1)*per)
	from := make([]int32, (n+1)*per)
	tied := make([]bool, (n+1)*per)
	for i := range dp {
		dp[i] = inf
	}
	dp[0] = 0
	skip, ids := sc.prefixSums()
	// unused[m] is what the repeated keys not in m cost: dropped.
	unused := make([]int, masks)
	for m := range unused {
		for i, key := range sc.repeated {
			if m&(1<<i) == 0 {
				unused[m] += sc.dropCost(key) * tieBreakScale
			}
		}
	}
	bestCost, bestState, bestTied := inf, -1, false
	// keep reports whether a path of cost c, tied or not (t), replaces the
	// best one so far, of cost *best, tied or not (*bestT), and updates
	// them: an equal cost before the tie-breaks makes a tie either way.
	keep := func(c int, t bool, best *int, bestT *bool) bool {
		if c >= *best {
			*bestT = *bestT || c/tieBreakScale == *best/tieBreakScale
			return false
		}
		*bestT = t || *best != inf && c/tieBreakScale == *best/tieBreakScale
		*best = c
		return true
	}
	// mayBeEmpty marks the optional elements, which may be empty: only
	// they look back at the word before them (costEmptyAfter), so only
	// their nodes need two states.
	mayBeEmpty := make([]bool, n)
	for k, p := range sc.places {
		mayBeEmpty[k] = p.known && p.n == 3 && !p.spec.mandatory.has(sc.version) && !p.spec.nonEmpty
	}
	edges := make([]int, n+1)
	empty, open := make([]bool, n+1), make([]bool, n+1)
	for a := 0; a <= n; a++ {
		if slices.Min(dp[a*per:(a+1)*per]) == inf {
			continue
		}
		sc.edgesFrom(a, skip, ids, edges, empty, open)
		optional := a > 0 && mayBeEmpty[a-1]
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
					e += costEmptyAfter * tieBreakScale
				}
				if b == n {
					if keep(d+e+unused[m], tied[st], &bestCost, &bestTied) {
						bestState = st
					}
					continue
				}
				bits := sc.places[b].bits
				if uint(m)&bits != 0 {
					continue
				}
				next := (b+1)*per + (m | int(bits))
				if a > 0 && open[b] && mayBeEmpty[b] {
					next += masks
				}
				if keep(d+e, tied[st], &dp[next], &tied[next]) {
					from[next] = int32(st)
				}
			}
		}
	}
	for st := bestState; st >= per; st = int(from[st]) {
		cuts = append(cuts, st/per-1)
	}
	slices.Reverse(cuts)
	return cuts, bestTied
}

// prefixSums returns the sums over the places before each node of their
// skip costs and of the places that are not forced (element IDs that may
// be left inside a value), so that edge counts the places an element
// spans in constant time.
func (sc *scanner) prefixSums() (skip, ids []int) {
	n := len(sc.places)
	skip = make([]int, n+1)
	ids = make([]int, n+1)
	for k, p := range sc.places {
		skip[k+1] = skip[k] + p.skip
		ids[k+1] = ids[k]
		if p.parent < 0 {
			ids[k+1]++
		}
	}
	return skip, ids
}

// edgesFrom sets edges[b] to the cost of the element at node a ending at
// place b (b == n: at the end of the body), scaled by tieBreakScale with
// one added when b goes back in the order and one when b is overlapped,
// or to -1 where b cannot follow a. For a > 0 it sets empty[b] to whether
// the element at a is then empty, and open[b] to whether its value ends
// with a word that may go on into the ID at b: a name (many end as IDs
// do: HADAD, HALLIDAY, MADDAX), or an address whose last word does not
// end it (see endsAddressWord), so that an empty DAH after "2300 WEST
// BROAD STREET" is street line 2 but "1 HOLIDAY" keeps its DAY.
func (sc *scanner) edgesFrom(a int, skip, ids, edges []int, empty, open []bool) {
	n := len(sc.places)
	for b := a; b <= n; b++ {
		e := sc.edge(a, b, skip, ids)
		if e < 0 {
			edges[b] = -1
			continue
		}
		e *= tieBreakScale
		if b < n && sc.places[b].overlapped {
			e++
		}
		if a > 0 {
			p := sc.places[a-1]
			end := len(sc.body)
			if b < n {
				end = sc.places[b].pos
				if outOfOrder(p, sc.places[b]) {
					e++
				}
			}
			value := sc.body[p.pos+p.n : end]
			empty[b] = strings.TrimSpace(value) == ""
			open[b] = p.spec.text && !empty[b] && (p.spec.name || !endsAddressWord(value))
		}
		edges[b] = e
	}
}

// edge is the cost of the element starting at node a (0: the text before
// the first element) when the next one starts at place b (n: none), with
// the places it leaves inside its value; -1 when b cannot follow a.
func (sc *scanner) edge(a, b int, skip, ids []int) int {
	n := len(sc.places)
	end := len(sc.body)
	if b < n {
		nb := sc.places[b]
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
	p := sc.places[a-1]
	valueAt := p.pos + p.n
	if b < n && end < valueAt {
		return -1
	}
	s := p.spec
	if s.fixed > 0 && p.n > 2 && end > valueAt && end < valueAt+s.fixed {
		return -1
	}
	// Places strictly between a and b are left inside values: those past
	// the marker inside this value, the others overlapping it.
	cost := skip[b] - skip[a]
	if own := p.elemAt(); own > p.pos {
		// A subfile marker: its element's own place is not left out.
		for k := a; k < b && sc.places[k].pos <= own; k++ {
			if sc.places[k].pos == own {
				cost -= sc.places[k].skip
			}
		}
	}
	switch p.n {
	case 0:
		return cost + costJunk
	case 2:
		if strings.TrimSpace(sc.body[valueAt:end]) != "" {
			cost += costWrong
		}
		return cost
	}
	cost += sc.valueCost(p, sc.body[valueAt:end])
	if p.known && !s.text {
		first := a
		for first < b && sc.places[first].pos < valueAt {
			first++
		}
		cost += costInCode * (ids[b] - ids[first])
	}
	if p.typ != "" && p.typ == sc.types[0] && p.pos > 0 {
		cost += costLateMain
	}
	if b < n {
		cost += wordCut(p, sc.body[valueAt:end])
	}
	return cost
}

// valueCost is what the raw value of the element at p costs.
func (sc *scanner) valueCost(p place, raw string) int {
	if !p.known {
		return 0
	}
	s := p.spec
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
		s.name && !startsWithLetter(raw):
		total += costWrong
	case s.usual != nil && !s.usual(v):
		total += costUnusual
	}
	return total
}

// startsWithLetter reads only the first rune: valueCost runs for every
// pair of places, so converting the whole value would make the scan's
// cost grow with the square of the places times the body's length.
func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// wordCut is the cost of ending the raw value of the element at p where a
// word starts inside text: after a single space that is not padding to
// the element's size ("100 DAHLIA ST"), or after a comma in a name, which
// separates its parts ("SMITH,JOHN,DACOSTA"; Ontario ends names with a
// comma, but pads them to their size).
func wordCut(p place, raw string) int {
	s := p.spec
	switch {
	case !p.known:
	case s.name && strings.HasSuffix(raw, ","):
		return costComma
	case strings.HasSuffix(raw, " ") && !strings.HasSuffix(raw, "  ") && len(raw) < s.size:
		return costWord
	}
	return 0
}
