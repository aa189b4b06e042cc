package eval

import (
	"fmt"
	"sort"
	"strings"
)

// Levenshtein is the edit distance between a and b in runes: the fewest
// insertions, deletions and substitutions turning one into the other.
func Levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// LineEdits compares a read text with its truth line by line (surrounding
// whitespace ignored): edits is the summed edit distance, a missing line
// costing its length and an extra line costing its own, and chars is the
// number of characters in the truth.
func LineEdits(truth, pred []string) (edits, chars int) {
	for i := 0; i < max(len(truth), len(pred)); i++ {
		var t, p string
		if i < len(truth) {
			t = strings.TrimSpace(truth[i])
		}
		if i < len(pred) {
			p = strings.TrimSpace(pred[i])
		}
		edits += Levenshtein(t, p)
		chars += len([]rune(t))
	}
	return edits, chars
}

// LinesEqual reports whether every line was read exactly (surrounding
// whitespace ignored) and no line is missing or extra.
func LinesEqual(truth, pred []string) bool {
	if len(truth) != len(pred) {
		return false
	}
	for i := range truth {
		if strings.TrimSpace(truth[i]) != strings.TrimSpace(pred[i]) {
			return false
		}
	}
	return true
}

// ExactRate is the share of items whose lines were all read right.
func ExactRate(truth, pred [][]string) (float64, error) {
	if err := checkTexts(truth, pred); err != nil {
		return 0, err
	}
	n := 0
	for i := range truth {
		if LinesEqual(truth[i], pred[i]) {
			n++
		}
	}
	return float64(n) / float64(len(truth)), nil
}

// CharAccuracy is 1 − (total edits / total truth characters) over all
// items, floored at 0 (a reader that invents long text cannot go
// negative). An unread item counts as empty lines: all its characters are
// wrong.
func CharAccuracy(truth, pred [][]string) (float64, error) {
	if err := checkTexts(truth, pred); err != nil {
		return 0, err
	}
	edits, chars := 0, 0
	for i := range truth {
		e, c := LineEdits(truth[i], pred[i])
		edits += e
		chars += c
	}
	if chars == 0 {
		return 0, fmt.Errorf("%w: truth has no characters", ErrEmpty)
	}
	return max(0, 1-float64(edits)/float64(chars)), nil
}

func checkTexts(truth, pred [][]string) error {
	if len(truth) != len(pred) {
		return fmt.Errorf("%w: %d truths, %d predictions", ErrLength, len(truth), len(pred))
	}
	if len(truth) == 0 {
		return ErrEmpty
	}
	return nil
}

// FieldMatch compares one decoded value with its truth: surrounding
// whitespace is ignored and letters compare without case, since AAMVA
// data is upper-case but labels may not be.
func FieldMatch(truth, pred string) bool {
	return strings.EqualFold(strings.TrimSpace(truth), strings.TrimSpace(pred))
}

// FieldAccuracy compares decoded fields with the expected ones, item by
// item: overall is the share of expected fields (over all items) decoded
// with the right value, and byField the same per field code. A nil
// prediction (nothing decoded) gets every field wrong; fields decoded but
// not expected are not counted.
func FieldAccuracy(truth, pred []map[string]string) (overall Rate, byField map[string]Rate, err error) {
	if len(truth) != len(pred) {
		return Rate{}, nil, fmt.Errorf("%w: %d truths, %d predictions", ErrLength, len(truth), len(pred))
	}
	if len(truth) == 0 {
		return Rate{}, nil, ErrEmpty
	}
	byField = map[string]Rate{}
	for i := range truth {
		for _, k := range sortedKeys(truth[i]) {
			r := byField[k]
			r.Den++
			overall.Den++
			if p, ok := pred[i][k]; ok && FieldMatch(truth[i][k], p) {
				r.Num++
				overall.Num++
			}
			byField[k] = r
		}
	}
	if overall.Den == 0 {
		return Rate{}, nil, fmt.Errorf("%w: no expected fields", ErrEmpty)
	}
	return overall, byField, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
