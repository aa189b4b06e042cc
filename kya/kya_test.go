package kya_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/kya"
)

// fakeResolver answers MX lookups from a table; a domain absent from it
// does not exist.
type fakeResolver struct {
	mx    map[string][]*net.MX
	fail  map[string]error
	block bool // wait for the lookup's deadline, like a dead DNS server
	asked []string
}

func (f *fakeResolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	f.asked = append(f.asked, name)
	if f.block {
		<-ctx.Done()
		return nil, &net.DNSError{Err: "i/o timeout", Name: name, IsTimeout: true}
	}
	if err, ok := f.fail[name]; ok {
		return nil, err
	}
	if mx, ok := f.mx[name]; ok {
		return mx, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

var _ kya.MXResolver = (*fakeResolver)(nil)

// fakeGeoIP locates addresses from a table.
type fakeGeoIP map[string]string

func (f fakeGeoIP) Country(_ context.Context, ip netip.Addr) (string, error) {
	if c, ok := f[ip.String()]; ok {
		return c, nil
	}
	if ip.String() == "203.0.113.99" {
		return "", errors.New("database corrupt")
	}
	return "", kya.ErrNotFound
}

func resolver() *fakeResolver {
	return &fakeResolver{
		mx: map[string][]*net.MX{
			"example.com":      {{Host: "mx1.example.com.", Pref: 10}, {Host: "mx2.example.com.", Pref: 20}},
			"xn--bcher-kva.de": {{Host: "mail.xn--bcher-kva.de.", Pref: 10}},
			"nomail.example":   {{Host: ".", Pref: 0}},
			"empty.example":    {},
		},
		fail: map[string]error{
			"servfail.example": &net.DNSError{Err: "server misbehaving", Name: "servfail.example", IsTemporary: true},
			"timeout.example":  &net.DNSError{Err: "i/o timeout", Name: "timeout.example", IsTimeout: true},
		},
	}
}

func checker(t *testing.T, cfg kya.Config) *kya.Checker {
	t.Helper()
	c, err := kya.New(cfg)
	require.NoError(t, err)
	return c
}

func find(t *testing.T, r kya.Report, name string) kya.Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q", name)
	return kya.Check{}
}

func TestEmail(t *testing.T) {
	tests := map[string]struct {
		email         string
		syntax, mx    kya.Status
		reason        string // fragment of the deciding reason
		resolverAsked string
	}{
		"MX found":         {"Ann.Lee+kyc@Example.com", kya.Pass, kya.Pass, "2 mail server(s) found", "example.com"},
		"NXDOMAIN":         {"ann@no-such-domain.example", kya.Pass, kya.Fail, "does not exist", "no-such-domain.example"},
		"timeout":          {"ann@timeout.example", kya.Pass, kya.Warn, "timed out", "timeout.example"},
		"server failure":   {"ann@servfail.example", kya.Pass, kya.Warn, "lookup failed", "servfail.example"},
		"null MX":          {"ann@nomail.example", kya.Pass, kya.Fail, "accepts no mail", "nomail.example"},
		"no records":       {"ann@empty.example", kya.Pass, kya.Fail, "no mail server", "empty.example"},
		"IDN domain":       {"anna@bücher.de", kya.Pass, kya.Pass, "1 mail server", "xn--bcher-kva.de"},
		"UTF-8 local part": {"jürgen@example.com", kya.Pass, kya.Pass, "mail server", "example.com"},
		"Devanagari local": {"सुरेश@example.com", kya.Pass, kya.Pass, "mail server", "example.com"},
		"decomposed é":     {"jose\u0301@example.com", kya.Pass, kya.Pass, "mail server", "example.com"},
		"control char":     {"ann\u0007@example.com", kya.Fail, kya.Skip, "not allowed", ""},
		"no at":            {"ann.example.com", kya.Fail, kya.Skip, "no @", ""},
		"two ats":          {"ann@x@example.com", kya.Fail, kya.Skip, "'@' is not allowed", ""},
		"empty local":      {"@example.com", kya.Fail, kya.Skip, "nothing before", ""},
		"no TLD":           {"ann@localhost", kya.Fail, kya.Skip, "no top-level domain", ""},
		"double dot":       {"ann..lee@example.com", kya.Fail, kya.Skip, "misplaced dot", ""},
		"leading dot":      {".ann@example.com", kya.Fail, kya.Skip, "misplaced dot", ""},
		"space":            {"ann lee@example.com", kya.Fail, kya.Skip, "' ' is not allowed", ""},
		"quoted":           {`"ann lee"@example.com`, kya.Fail, kya.Skip, "quoted", ""},
		"IP literal":       {"ann@[192.0.2.1]", kya.Fail, kya.Skip, "IP address domains", ""},
		"bad label":        {"ann@-example.com", kya.Fail, kya.Skip, "", ""},
		"numeric TLD":      {"ann@example.123", kya.Fail, kya.Skip, "ends in a number", ""},
		"underscore":       {"ann@ex_ample.com", kya.Fail, kya.Skip, "", ""},
		"long local":       {"a234567890123456789012345678901234567890123456789012345678901234X@example.com", kya.Fail, kya.Skip, "over 64", ""},
		"not given":        {"  ", kya.Skip, kya.Skip, "no email given", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			res := resolver()
			r, err := checker(t, kya.Config{Resolver: res}).Check(context.Background(), kya.Input{Email: tc.email})
			require.NoError(t, err)
			syntax, mx := find(t, r, kya.CheckEmailSyntax), find(t, r, kya.CheckEmailMX)
			assert.Equal(t, tc.syntax, syntax.Status, syntax.Reason)
			assert.Equal(t, tc.mx, mx.Status, mx.Reason)
			reason := mx.Reason
			if tc.syntax != kya.Pass {
				reason = syntax.Reason
			}
			assert.Contains(t, reason, tc.reason)
			if tc.resolverAsked == "" {
				assert.Empty(t, res.asked, "no lookup for a bad address")
			} else {
				assert.Equal(t, []string{tc.resolverAsked}, res.asked)
			}
		})
	}
}

func TestEmailMXDetails(t *testing.T) {
	r, err := checker(t, kya.Config{Resolver: resolver()}).Check(context.Background(), kya.Input{Email: "ann@example.com"})
	require.NoError(t, err)
	mx := find(t, r, kya.CheckEmailMX)
	assert.Equal(t, []string{"mx1.example.com", "mx2.example.com"}, mx.Details["mx"])
}

func TestEmailLookupDeadlineIsAWarn(t *testing.T) {
	res := &fakeResolver{block: true}
	c := checker(t, kya.Config{Resolver: res, LookupTimeout: 1}) // 1ns: the deadline has passed at once
	r, err := c.Check(context.Background(), kya.Input{Email: "ann@example.com"})
	require.NoError(t, err)
	mx := find(t, r, kya.CheckEmailMX)
	assert.Equal(t, kya.Warn, mx.Status)
	assert.Contains(t, mx.Reason, "timed out")
}

func TestCancelledContextIsAnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := checker(t, kya.Config{Resolver: &fakeResolver{block: true}}).Check(ctx, kya.Input{Email: "ann@example.com"})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestNoResolverSkipsMX(t *testing.T) {
	r, err := checker(t, kya.Config{}).Check(context.Background(), kya.Input{Email: "ann@example.com"})
	require.NoError(t, err)
	assert.Equal(t, kya.Pass, find(t, r, kya.CheckEmailSyntax).Status)
	mx := find(t, r, kya.CheckEmailMX)
	assert.Equal(t, kya.Skip, mx.Status)
	assert.Equal(t, "no DNS resolver configured", mx.Reason)
}

func TestPhone(t *testing.T) {
	tests := map[string]struct {
		phone, country string
		status         kya.Status
		reason         string
		e164, typ      string
	}{
		"France mobile":            {"+33 6 12 34 56 78", "FR", kya.Pass, "valid mobile number for FR", "+33612345678", "mobile"},
		"France national, alpha-3": {"06 12 34 56 78", "FRA", kya.Pass, "valid mobile number for FR", "+33612345678", "mobile"},
		"UK mobile":                {"+44 7400 123456", "GB", kya.Pass, "valid mobile number for GB", "+447400123456", "mobile"},
		"UK fixed line":            {"+44 20 7946 0958", "GBR", kya.Pass, "fixed line", "+442079460958", "fixed_line"},
		"US":                       {"+1 650 253 0000", "US", kya.Pass, "for US", "+16502530000", "fixed_line_or_mobile"},
		"Germany mobile, MRZ code": {"+49 1512 3456789", "D", kya.Pass, "valid mobile number for DE", "+4915123456789", "mobile"},
		"Japan":                    {"+81 90-1234-5678", "JP", kya.Pass, "for JP", "+819012345678", "mobile"},
		"Brazil":                   {"+55 11 91234-5678", "BR", kya.Pass, "for BR", "+5511912345678", "mobile"},
		"India":                    {"+91 98765 43210", "IN", kya.Pass, "for IN", "+919876543210", "mobile"},
		"Nigeria":                  {"+234 803 123 4567", "NG", kya.Pass, "for NG", "+2348031234567", "mobile"},
		"E.164 without a country":  {"+61412345678", "", kya.Pass, "for AU", "+61412345678", "mobile"},
		"other country":            {"+33 6 12 34 56 78", "DE", kya.Warn, "from FR, but the declared country is DE", "+33612345678", "mobile"},
		"premium rate":             {"+44 909 876 5432", "GB", kya.Warn, "premium rate", "+449098765432", "premium_rate"},
		"toll free":                {"+33 800 12 34 56", "FR", kya.Warn, "not a personal line", "+33800123456", "toll_free"},
		"too short":                {"+33 1 23", "FR", kya.Fail, "too short", "", ""},
		"too long":                 {"+33 6 12 34 56 78 99 99", "FR", kya.Fail, "too long", "", ""},
		"bad country code":         {"+999 123456", "", kya.Fail, "country code", "", ""},
		"letters":                  {"hello", "FR", kya.Fail, "not a phone number", "", ""},
		"national, no country":     {"0612345678", "", kya.Fail, "not in E.164 form", "", ""},
		"absurdly long":            {"+33" + string(make([]byte, 100)), "FR", kya.Fail, "too long", "", ""},
		"not given":                {"", "FR", kya.Skip, "no phone given", "", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := checker(t, kya.Config{}).Check(context.Background(), kya.Input{Phone: tc.phone, Country: tc.country})
			require.NoError(t, err)
			ph := find(t, r, kya.CheckPhone)
			assert.Equal(t, tc.status, ph.Status, ph.Reason)
			assert.Contains(t, ph.Reason, tc.reason)
			if tc.e164 != "" {
				assert.Equal(t, tc.e164, ph.Details["e164"])
				assert.Equal(t, tc.typ, ph.Details["type"])
			}
		})
	}
	r, err := checker(t, kya.Config{}).Check(context.Background(), kya.Input{Phone: "+33612345678"})
	require.NoError(t, err)
	assert.Equal(t, true, find(t, r, kya.CheckPhone).Details["given_in_e164"])
	r, err = checker(t, kya.Config{}).Check(context.Background(), kya.Input{Phone: "06 12 34 56 78", Country: "FR"})
	require.NoError(t, err)
	assert.Equal(t, false, find(t, r, kya.CheckPhone).Details["given_in_e164"])
}

func TestIPCountry(t *testing.T) {
	geo := fakeGeoIP{"81.2.69.142": "GB", "2.16.0.1": "FR", "2a01:e0a::1": "FR"}
	tests := map[string]struct {
		ip, country string
		geo         kya.GeoIP
		status      kya.Status
		reason      string
	}{
		"match":                {"2.16.0.1", "FR", geo, kya.Pass, "in FR, as declared"},
		"match alpha-3":        {"2.16.0.1", "FRA", geo, kya.Pass, "as declared"},
		"match IPv6":           {"2a01:e0a::1", "fr", geo, kya.Pass, "as declared"},
		"IPv4-mapped IPv6":     {"::ffff:2.16.0.1", "FR", geo, kya.Pass, "as declared"},
		"mismatch":             {"81.2.69.142", "FR", geo, kya.Fail, "in GB, the declared country is FR"},
		"British MRZ code":     {"81.2.69.142", "GBD", geo, kya.Pass, "as declared"},
		"not in database":      {"8.8.8.8", "FR", geo, kya.Skip, "not in the GeoIP database"},
		"database error":       {"203.0.113.99", "FR", geo, kya.Skip, "lookup failed"},
		"private":              {"192.168.1.10", "FR", geo, kya.Skip, "private or local"},
		"loopback":             {"::1", "FR", geo, kya.Skip, "private or local"},
		"not an IP":            {"not-an-ip", "FR", geo, kya.Skip, "not an IP address"},
		"no database":          {"2.16.0.1", "FR", nil, kya.Skip, "no GeoIP database configured"},
		"no declared country":  {"2.16.0.1", "", geo, kya.Skip, "no declared country"},
		"unknown country code": {"2.16.0.1", "XYZ", geo, kya.Skip, `"XYZ" is not a country code`},
		"not given":            {"", "FR", geo, kya.Skip, "no IP address given"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := checker(t, kya.Config{GeoIP: tc.geo}).Check(context.Background(), kya.Input{IP: tc.ip, Country: tc.country})
			require.NoError(t, err)
			ch := find(t, r, kya.CheckIPCountry)
			assert.Equal(t, tc.status, ch.Status, ch.Reason)
			assert.Contains(t, ch.Reason, tc.reason)
		})
	}
}

func TestName(t *testing.T) {
	tests := map[string]struct {
		declared, document string
		status             kya.Status
		reason             string
	}{
		"same":                      {"Anna Maria Eriksson", "Anna Maria Eriksson", kya.Pass, "names match"},
		"case":                      {"anna maria ERIKSSON", "Anna Maria Eriksson", kya.Pass, "names match"},
		"MRZ order":                 {"Anna Maria Eriksson", "ERIKSSON<<ANNA<MARIA<<<<<<<", kya.Pass, "different order"},
		"comma order":               {"Anna Eriksson", "Eriksson, Anna", kya.Pass, "different order"},
		"missing middle name":       {"Anna Eriksson", "ERIKSSON<<ANNA<MARIA", kya.Pass, "a middle name missing"},
		"extra middle names":        {"Anna Maria Sofia Eriksson", "Anna Eriksson", kya.Pass, "2 middle names missing"},
		"umlaut vs MRZ":             {"Jürgen Müller", "MUELLER<<JUERGEN", kya.Pass, "names match"},
		"umlaut typed bare vs MRZ":  {"Jurgen Muller", "MUELLER<<JUERGEN", kya.Pass, "names match"},
		"umlaut typed vs visual":    {"Muller Jurgen", "Jürgen Müller", kya.Pass, "names match"},
		"slashed o":                 {"Søren Kierkegaard", "KIERKEGAARD<<SOEREN", kya.Pass, "names match"},
		"eszett":                    {"Johann Strauß", "STRAUSS<<JOHANN", kya.Pass, "names match"},
		"ring":                      {"Åsa Ångström", "ANGSTROM<<ASA", kya.Pass, "names match"},
		"acute accents":             {"José García", "GARCIA<<JOSE", kya.Pass, "names match"},
		"cedilla and caron":         {"François Dvořák", "DVORAK<<FRANCOIS", kya.Pass, "names match"},
		"Polish L":                  {"Łukasz Wałęsa", "WALESA<<LUKASZ", kya.Pass, "names match"},
		"hyphen":                    {"Jean-Pierre Dupont", "DUPONT<<JEAN<PIERRE", kya.Pass, "names match"},
		"apostrophe":                {"Seán O'Brien", "OBRIEN<<SEAN", kya.Pass, "names match"},
		"joined surname":            {"Jan Vanderberg", "VAN<DER<BERG<<JAN", kya.Pass, "apart from spacing"},
		"joined surname, middle":    {"Jan Vanderberg", "VAN<DER<BERG<<JAN<PIETER", kya.Pass, "middle name missing"},
		"particles":                 {"Jan van der Berg", "VAN<DER<BERG<<JAN", kya.Pass, "different order"},
		"joined particles":          {"Vanderberg Jan", "VAN DER BERG JAN", kya.Pass, "apart from spacing"},
		"one letter off":            {"Anna Erikson", "ERIKSSON<<ANNA", kya.Warn, "nearly match"},
		"one letter off and middle": {"Anna Erikson", "ERIKSSON<<ANNA<MARIA", kya.Warn, "nearly match"},
		"short names are not fuzzy": {"Ana Eriksson", "ERIKSSON<<ANNA", kya.Fail, "does not match"},
		"surname only":              {"Eriksson", "ERIKSSON<<ANNA", kya.Warn, "only part of the name"},
		"given name only":           {"Anna", "ERIKSSON<<ANNA", kya.Fail, "lacks the surname"},
		"surname missing, 3 words":  {"Anna Maria", "ERIKSSON<<ANNA<MARIA", kya.Fail, "lacks the surname"},
		"first name missing, plain": {"Maria Eriksson", "Anna Maria Eriksson", kya.Warn, "only part"},
		"first name missing, MRZ":   {"Maria Eriksson", "ERIKSSON<<ANNA<MARIA", kya.Warn, "only part"},
		"other person":              {"John Smith", "ERIKSSON<<ANNA", kya.Fail, "does not match"},
		// A declared word the document lacks: among the given names it is
		// a middle name the document left out (pass); after the surname it
		// is a surname the document does not show (warn, see
		// extraSurnameWord), as it is when the surname is not marked.
		"extra given name":                {"Anna Maria Eriksson", "ERIKSSON<<ANNA", kya.Pass, "a middle name missing"},
		"extra given name, surname first": {"Eriksson Anna Maria", "ERIKSSON<<ANNA", kya.Pass, "a middle name missing"},
		"extra surname":                   {"Anna Eriksson Smith", "ERIKSSON<<ANNA", kya.Warn, "names match but for a declared word after the surname"},
		"extra surname, comma form":       {"Anna Eriksson Smith", "Eriksson, Anna", kya.Warn, "after the surname"},
		"extra surname, unmarked":         {"Anna Eriksson Smith", "Anna Eriksson", kya.Warn, "only part of the name"},
		"extra surname, surname first":    {"Eriksson Smith Anna", "ERIKSSON<<ANNA", kya.Warn, ""},
		"extra surname, a letter off":     {"Anna Erikson Smith", "ERIKSSON<<ANNA", kya.Warn, "a declared word after the surname is not on the document"},
		"extra surname, joined surname":   {"Jan Vanderberg Smith", "VAN<DER<BERG<<JAN", kya.Warn, "after the surname"},
		"extra third surname":             {"Maria Garcia Lopez Smith", "GARCIA<LOPEZ<<MARIA", kya.Warn, "after the surname"},
		"extra word between surnames":     {"Maria Garcia Smith Lopez", "GARCIA<LOPEZ<<MARIA", kya.Warn, "after the surname"},
		"extra given and surname":         {"Anna Maria Eriksson Smith", "ERIKSSON<<ANNA", kya.Warn, ""},
		// A known limitation (see extraSurnameWord): another surname
		// before the document's reads as a missing middle name.
		"unknown surname before the surname": {"Maria Fernandez Garcia", "GARCIA<<MARIA", kya.Pass, "a middle name missing"},
		// Two surnames (Spanish, Portuguese): the first or the last alone
		// is how the holder writes the name every day.
		"first of two surnames":        {"Maria Garcia", "GARCIA<LOPEZ<<MARIA", kya.Pass, "names match, in a different order; the declared name has only the first of the document's 2 surnames"},
		"last of two surnames":         {"Maria Lopez", "GARCIA<LOPEZ<<MARIA", kya.Pass, "only the last of the document's 2 surnames"},
		"first surname, comma form":    {"María García", "García López, María", kya.Pass, "only the first"},
		"first surname, middle absent": {"Maria Garcia", "GARCIA<LOPEZ<<MARIA<JOSE", kya.Pass, "a middle name missing on one side; the declared name has only the first"},
		"Portuguese last surname":      {"João Santos", "SILVA<DOS<SANTOS<<JOAO", kya.Pass, "only the last"},
		"Portuguese, with particle":    {"João dos Santos", "SILVA<DOS<SANTOS<<JOAO", kya.Pass, "only the last"},
		"first surname with particles": {"Maria de la Cruz", "DE<LA<CRUZ<GARCIA<<MARIA", kya.Pass, "only the first"},
		"one surname, a letter off":    {"Maria Garsia", "GARCIA<LOPEZ<<MARIA", kya.Warn, "nearly match"},
		// Words are counted against the whole document name, not the
		// name cut down to one surname (which once gave "1 of 2 words").
		"one surname, no given name": {"Garcia", "GARCIA<LOPEZ<<MARIA", kya.Warn,
			"only part of the name matches (1 of the document's 3 words); the declared name has only the first of the document's 2 surnames"},
		"one surname, first given out": {"Jose Garcia", "GARCIA<LOPEZ<<MARIA<JOSE", kya.Warn, "only part of the name matches (2 of the document's 4 words)"},
		"last surname, particles":      {"Santos", "SILVA<DOS<SANTOS<<JOAO", kya.Warn, "(1 of the document's 4 words); the declared name has only the last"},
		"another surname":              {"Maria Fernandez", "GARCIA<LOPEZ<<MARIA", kya.Fail, "does not match"},
		"a surname not on the doc":     {"Maria Garcia Fernandez", "GARCIA<LOPEZ<<MARIA", kya.Fail, "does not match"},
		"middle one of three surnames": {"Maria Lopez", "GARCIA<LOPEZ<PEREZ<<MARIA", kya.Fail, "lacks the surname"},
		"given name, two surnames":     {"Maria", "GARCIA<LOPEZ<<MARIA", kya.Fail, "lacks the surname"},
		"particles are no surname":     {"Jan Berg", "VAN<DER<BERG<<JAN", kya.Fail, "lacks the surname"},
		"a particle is no surname":     {"Maria de", "DE<LA<CRUZ<GARCIA<<MARIA", kya.Fail, "lacks the surname"},
		"Cyrillic":                     {"Иван Петров", "PETROV<<IVAN", kya.Skip, "not in Latin script"},
		"no letters":                   {"1234", "ERIKSSON<<ANNA", kya.Skip, "no letters"},
		"no declared name":             {"", "ERIKSSON<<ANNA", kya.Skip, "no declared name"},
		"no document name":             {"Anna Eriksson", " ", kya.Skip, "no document name"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := checker(t, kya.Config{}).Check(context.Background(), kya.Input{Name: tc.declared, DocumentName: tc.document})
			require.NoError(t, err)
			ch := find(t, r, kya.CheckName)
			assert.Equal(t, tc.status, ch.Status, ch.Reason)
			assert.Contains(t, ch.Reason, tc.reason)
		})
	}
	r, err := checker(t, kya.Config{}).Check(context.Background(), kya.Input{Name: "Jürgen Müller", DocumentName: "MUELLER<<JUERGEN"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"declared": "JUERGEN MUELLER", "document": "MUELLER JUERGEN"}, find(t, r, kya.CheckName).Details)
}

func TestScore(t *testing.T) {
	c := checker(t, kya.Config{Resolver: resolver(), GeoIP: fakeGeoIP{"2.16.0.1": "FR"}})
	r, err := c.Check(context.Background(), kya.Input{
		Email:        "anna@example.com",
		Phone:        "+33 6 12 34 56 78",
		IP:           "2.16.0.1",
		Country:      "FRA",
		Name:         "Anna Erikson", // warn
		DocumentName: "ERIKSSON<<ANNA",
	})
	require.NoError(t, err)
	assert.True(t, r.Measured)
	assert.InDelta(t, 4.5/5, r.Score, 1e-12)
	assert.Equal(t, "5 of 5 checks ran: 4 pass, name warn", r.Summary())
	names := []string{}
	for _, ch := range r.Checks {
		names = append(names, ch.Name)
	}
	assert.Equal(t, []string{"email_syntax", "email_mx", "phone", "ip_country", "name"}, names)

	// Skipped checks do not count; a bad email counts once.
	r, err = c.Check(context.Background(), kya.Input{Email: "not-an-email", Phone: "+33 6 12 34 56 78"})
	require.NoError(t, err)
	assert.InDelta(t, 0.5, r.Score, 1e-12)
	assert.Equal(t, "2 of 5 checks ran: 1 pass, email_syntax fail", r.Summary())

	// Nothing given: not measured, so the score factor is missing, not 0.
	r, err = c.Check(context.Background(), kya.Input{})
	require.NoError(t, err)
	assert.False(t, r.Measured)
	assert.Zero(t, r.Score)
	assert.Equal(t, "no profile check could run", r.Summary())
	for _, ch := range r.Checks {
		assert.Equal(t, kya.Skip, ch.Status)
		assert.NotEmpty(t, ch.Reason, "a skip says why")
	}
}

func TestNewRejectsNegativeTimeout(t *testing.T) {
	_, err := kya.New(kya.Config{LookupTimeout: -1})
	assert.Error(t, err)
}

func TestCountryAlpha2(t *testing.T) {
	for in, want := range map[string]string{
		"FR": "FR", "fra": "FR", " DEU ": "DE", "D": "DE", "D<<": "DE", "GBD": "GB", "GBR": "GB",
		"RKS": "XK", "XK": "XK", "USA": "US", "CIV": "CI", "SSD": "SS", "BES": "BQ",
		"de": "DE", "<fra": "FR", "GBS": "GB", "xk": "XK",
	} {
		got, err := kya.CountryAlpha2(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "X", "XX", "UTO", "UNO", "XXA", "FRANCE", "ZZZ", "EUE", "UNK", "UK", "France", "D E"} {
		_, err := kya.CountryAlpha2(bad)
		assert.ErrorIs(t, err, kya.ErrUnknownCountry, bad)
	}
}
