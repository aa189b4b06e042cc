package aamva

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// headerSearch is how far into the input the header may start: readers add
// a byte-order mark, stray bytes or repeated control characters in front.
const headerSearch = 160

// fileType finds the file type and IIN. "AMVA " appears in the field where
// an issuer dropped a letter; the 6-digit IIN and 2-digit version follow.
var fileType = regexp.MustCompile(`(ANSI ?|AAMVA|AMVA ?)([0-9]{6})([0-9]{2})`)

// Parse reads a DL/ID bar code payload. The input may be raw bytes (Latin-1
// is accepted where it is not UTF-8) with or without the control
// characters of the standard. An input longer than MaxPayload is an error
// wrapping ErrTooLarge.
func Parse(data []byte) (*Result, error) {
	if err := checkSize(len(data)); err != nil {
		return nil, err
	}
	s := decode(data)
	trimmed := strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
	if strings.HasPrefix(trimmed, "%") {
		return parseMagstripe(trimmed)
	}
	r := &Result{Elements: map[string]string{}}
	body, err := r.readHeader(s)
	if err != nil {
		return nil, err
	}
	r.readElements(body)
	if len(r.Elements) == 0 {
		return nil, &HeaderError{Pos: len(s), Msg: "no data elements after the header", Truncated: true}
	}
	r.normalise()
	r.validate()
	return r, nil
}

// ParseString is Parse for text.
func ParseString(s string) (*Result, error) {
	if err := checkSize(len(s)); err != nil {
		return nil, err // before copying it
	}
	return Parse([]byte(s))
}

func checkSize(n int) error {
	if n > MaxPayload {
		return fmt.Errorf("%w: %d bytes, more than the %d a bar code payload can hold", ErrTooLarge, n, MaxPayload)
	}
	return nil
}

// decode returns the input as UTF-8, reading bytes that are not UTF-8 as
// Latin-1 (PDF417 byte mode default).
func decode(data []byte) string {
	if utf8.Valid(data) {
		return string(data)
	}
	var b strings.Builder
	for _, c := range data {
		b.WriteRune(rune(c))
	}
	return b.String()
}

func (r *Result) warn(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

// readHeader parses the header and returns the rest of the input.
func (r *Result) readHeader(s string) (string, error) {
	window := s
	if len(window) > headerSearch {
		window = window[:headerSearch]
	}
	loc := fileType.FindStringSubmatchIndex(window)
	if loc == nil {
		if i := strings.Index(window, "ANSI"); i >= 0 || strings.Contains(window, "AAMVA") {
			if i < 0 {
				i = strings.Index(window, "AAMVA")
			}
			return "", headerError(s, i, 5+8, "a 6-digit IIN and 2-digit version after the file type")
		}
		return "", ErrNotAAMVA
	}
	prefix := s[:loc[0]]
	h := &r.Header
	h.FileType = s[loc[2]:loc[3]]
	h.IIN = s[loc[4]:loc[5]]
	h.Version = atoi(s[loc[6]:loc[7]])
	h.ComplianceIndicator = strings.Contains(prefix, "@")
	if h.FileType != "ANSI " && h.FileType != "AAMVA" {
		r.warn("file type %q instead of \"ANSI \" or \"AAMVA\"", h.FileType)
	}
	if junk := strings.Map(func(c rune) rune {
		if c == '@' || c == '\uFEFF' || unicode.IsSpace(c) || unicode.IsControl(c) {
			return -1
		}
		return c
	}, prefix); junk != "" {
		r.warn("unexpected characters before the header: %q", junk)
	}
	if !h.ComplianceIndicator {
		r.warn("no compliance indicator (@)")
	}
	if h.Version > 10 {
		r.warn("version %d is newer than this parser knows (10); read as 10", h.Version)
	}

	p := loc[1]
	// Version 1 headers have no jurisdiction version.
	switch {
	case h.Version <= 1:
		n, ok := digitsAt(s, p, 2)
		if !ok {
			return "", headerError(s, p, 2, "the 2-digit number of entries")
		}
		h.Entries = n
		p += 2
	default:
		jv, okJ := digitsAt(s, p, 2)
		n, okN := digitsAt(s, p+2, 2)
		switch {
		case okJ && okN:
			h.JurisdictionVersion, h.Entries = jv, n
			p += 4
		case okJ && p+4 <= len(s) && isSubfileType(s[p+2:p+4]):
			r.warn("version %d header without a jurisdiction version", h.Version)
			h.Entries = jv
			p += 2
		default:
			return "", headerError(s, p, 4, "the jurisdiction version and number of entries")
		}
	}

	for i := 0; i < h.Entries; i++ {
		if p+10 > len(s) || !isUpper(s[p]) || !isUpper(s[p+1]) {
			r.warn("header lists %d subfiles, %d readable", h.Entries, i)
			break
		}
		off, ok1 := digitsAt(s, p+2, 4)
		n, ok2 := digitsAt(s, p+6, 4)
		if !ok1 || !ok2 {
			r.warn("header lists %d subfiles, %d readable", h.Entries, i)
			break
		}
		h.Subfiles = append(h.Subfiles, Designator{Type: s[p : p+2], Offset: off, Length: n})
		p += 10
	}
	if p >= len(s) {
		return "", headerError(s, p, 1, "data after the subfile designators")
	}
	return s[p:], nil
}

// headerError reports what was expected at pos; need is how many bytes
// it takes, so that an input ending there is reported as truncated.
func headerError(s string, pos, need int, want string) error {
	return &HeaderError{Pos: pos, Msg: "expected " + want, Truncated: pos+need > len(s)}
}

func digitsAt(s string, p, n int) (int, bool) {
	if p < 0 || p+n > len(s) {
		return 0, false
	}
	v := 0
	for i := p; i < p+n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

func atoi(s string) int {
	v, _ := digitsAt(s, 0, len(s))
	return v
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// isSubfileType reports whether s is a subfile type: DL, ID or Z and a
// letter.
func isSubfileType(s string) bool {
	return s == "DL" || s == "ID" || len(s) == 2 && s[0] == 'Z' && isUpper(s[1])
}
