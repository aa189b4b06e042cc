package kya

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// MXResolver looks up mail exchangers. *net.Resolver implements it.
type MXResolver interface {
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
}

var _ MXResolver = (*net.Resolver)(nil)

// atext are the ASCII characters RFC 5322 allows in a dot-atom besides
// letters and digits.
const atext = "!#$%&'*+-/=?^_`{|}~"

// checkEmailSyntax validates an address and returns its domain in ASCII
// (IDNA) form for the MX lookup, "" when the address is unusable.
func checkEmailSyntax(email string) (Check, string) {
	ch := Check{Name: CheckEmailSyntax}
	email = strings.TrimSpace(email)
	if email == "" {
		ch.Status, ch.Reason = Skip, "no email given"
		return ch, ""
	}
	domain, err := parseEmail(email)
	if err != nil {
		ch.Status, ch.Reason = Fail, err.Error()
		return ch, ""
	}
	ch.Status, ch.Reason = Pass, "well-formed address"
	ch.Details = map[string]any{"domain": domain}
	return ch, domain
}

// parseEmail checks the common form of an address, local@domain: a
// dot-atom local part (UTF-8 letters allowed, RFC 6531) and a domain name
// of at least two labels. Quoted local parts and address literals are
// valid RFC 5321 but not accepted: no real mailbox a person signs up with
// uses them, while fraud tooling does.
func parseEmail(email string) (domain string, err error) {
	if !utf8.ValidString(email) {
		return "", errors.New("not valid UTF-8")
	}
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return "", errors.New("no @ in the address")
	}
	local, dom := email[:at], email[at+1:]
	switch {
	case local == "":
		return "", errors.New("nothing before the @")
	case strings.HasPrefix(local, `"`):
		return "", errors.New("quoted local parts are not accepted")
	case len(local) > 64:
		return "", fmt.Errorf("the part before the @ is %d bytes, over 64", len(local))
	case local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, ".."):
		return "", errors.New("misplaced dot before the @")
	}
	for _, r := range local {
		// RFC 6531 allows any non-ASCII UTF-8 there: marks (Devanagari
		// vowel signs, a decomposed accent) and the zero-width joiners
		// too, but not spaces or control characters.
		if r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) || (r < utf8.RuneSelf && strings.ContainsRune(atext, r)) ||
			(r >= utf8.RuneSelf && (unicode.IsMark(r) || r == '\u200c' || r == '\u200d')) {
			continue
		}
		return "", fmt.Errorf("character %q is not allowed before the @", r)
	}
	if strings.HasPrefix(dom, "[") {
		return "", errors.New("IP address domains are not accepted")
	}
	ascii, err := idna.Lookup.ToASCII(dom)
	if err != nil {
		return "", fmt.Errorf("domain %q is not a valid domain name", dom)
	}
	ascii = strings.TrimSuffix(ascii, ".")
	labels := strings.Split(ascii, ".")
	switch {
	case ascii == "":
		return "", errors.New("nothing after the @")
	case len(ascii) > 253:
		return "", errors.New("domain longer than 253 characters")
	case len(labels) < 2:
		return "", fmt.Errorf("domain %q has no top-level domain", dom)
	case len(local)+1+len(ascii) > 254:
		return "", errors.New("address longer than 254 characters")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "", fmt.Errorf("domain %q has an invalid label %q", dom, l)
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return "", fmt.Errorf("domain %q has an invalid label %q", dom, l)
			}
		}
	}
	if tld := labels[len(labels)-1]; strings.Trim(tld, "0123456789") == "" {
		return "", fmt.Errorf("domain %q ends in a number", dom)
	}
	return ascii, nil
}

// checkMX looks the domain's mail exchangers up. It returns an error only
// when ctx itself ended.
func (c *Checker) checkMX(ctx context.Context, domain string, syntax Check) (Check, error) {
	ch := Check{Name: CheckEmailMX}
	switch {
	case syntax.Status == Skip:
		ch.Status, ch.Reason = Skip, "no email given"
		return ch, nil
	case domain == "":
		ch.Status, ch.Reason = Skip, "the address is not well-formed"
		return ch, nil
	case c.cfg.Resolver == nil:
		ch.Status, ch.Reason = Skip, "no DNS resolver configured"
		return ch, nil
	}
	lctx, cancel := context.WithTimeout(ctx, c.cfg.LookupTimeout)
	defer cancel()
	mxs, err := c.cfg.Resolver.LookupMX(lctx, domain)
	if ctx.Err() != nil {
		return Check{}, ctx.Err()
	}
	ch.Details = map[string]any{"domain": domain}
	var dnsErr *net.DNSError
	switch {
	case err == nil && len(mxs) == 1 && (mxs[0].Host == "." || mxs[0].Host == ""):
		ch.Status, ch.Reason = Fail, "the domain states it accepts no mail (null MX)"
	case err == nil && len(mxs) > 0:
		hosts := make([]string, 0, min(len(mxs), 5))
		for _, mx := range mxs[:min(len(mxs), 5)] {
			hosts = append(hosts, strings.TrimSuffix(mx.Host, "."))
		}
		ch.Status, ch.Reason = Pass, fmt.Sprintf("%d mail server(s) found", len(mxs))
		ch.Details["mx"] = hosts
	case err == nil:
		ch.Status, ch.Reason = Fail, "the domain has no mail server (MX record)"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		ch.Status, ch.Reason = Fail, "the domain does not exist or has no mail server (MX record)"
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &dnsErr) && dnsErr.IsTimeout:
		c.log.Debug("kya: MX lookup timed out", "timeout", c.cfg.LookupTimeout)
		ch.Status, ch.Reason = Warn, fmt.Sprintf("the MX lookup timed out after %v; the domain could not be checked", c.cfg.LookupTimeout)
	default:
		c.log.Debug("kya: MX lookup failed", "err", err)
		ch.Status, ch.Reason = Warn, "the MX lookup failed; the domain could not be checked"
	}
	return ch, nil
}
