package kya

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Declared names, emails and phones come straight from users: any string
// must give a check with a status and a reason, never a panic.

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"ann@example.com", "a@b", "@", "ann@bücher.de", `"x"@y.z`, "a@[1.2.3.4]", "a..b@c.d", "a@xn--.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		domain, err := parseEmail(s)
		if err != nil {
			return
		}
		if domain == "" || !strings.Contains(domain, ".") || strings.ContainsAny(domain, "@ ") {
			t.Fatalf("accepted %q with domain %q", s, domain)
		}
	})
}

func FuzzCompareNames(f *testing.F) {
	for _, s := range [][2]string{
		{"Anna Maria Eriksson", "ERIKSSON<<ANNA<MARIA"},
		{"Jürgen Müller", "MUELLER<<JUERGEN"},
		{"Jan van der Berg", "VAN<DER<BERG<<JAN"},
		{"Иван", "IVAN"},
		{"<<", ","},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		r := compareNames(a, b)
		if r.status == "" || r.reason == "" {
			t.Fatalf("no outcome for %q / %q", a, b)
		}
		tokens, _ := nameTokens(a)
		for _, w := range tokens {
			if w == "" || !utf8.ValidString(w) {
				t.Fatalf("bad token %q from %q", w, a)
			}
		}
		// Comparing a name with itself never fails.
		if utf8.ValidString(a) {
			if s := compareNames(a, a).status; s == Fail || s == Warn {
				t.Fatalf("%q does not match itself: %s", a, s)
			}
		}
	})
}

func FuzzCheckPhone(f *testing.F) {
	for _, s := range []string{"+33 6 12 34 56 78", "06 12 34 56 78", "+1", "++", "+999", "tel:+44"} {
		f.Add(s, "FR")
	}
	f.Fuzz(func(t *testing.T, phone, country string) {
		ch := checkPhone(phone, country)
		if ch.Status == "" || ch.Reason == "" {
			t.Fatalf("no outcome for %q", phone)
		}
	})
}
