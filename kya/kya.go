package kya

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Status is the outcome of one check.
type Status string

// The outcomes of a check.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn" // doubtful, or the check could only partly run
	Skip Status = "skip" // could not run: nothing given, nothing configured
)

// The names of the checks, in report order.
const (
	CheckEmailSyntax = "email_syntax"
	CheckEmailMX     = "email_mx"
	CheckPhone       = "phone"
	CheckIPCountry   = "ip_country"
	CheckName        = "name"
)

// Check is the outcome of one check, as in the document validation report.
type Check struct {
	Name    string         `json:"name"`
	Status  Status         `json:"status"`
	Reason  string         `json:"reason"`
	Details map[string]any `json:"details,omitempty"`
}

// Input is what the user declared, and what the document says.
type Input struct {
	Email string `json:"email,omitempty"`
	// Phone is best given in E.164 (+33612345678); a national number is
	// read in the declared country.
	Phone string `json:"phone,omitempty"`
	// IP is the address the user connected from.
	IP string `json:"ip,omitempty"`
	// Country is the declared country: ISO 3166-1 alpha-2 or alpha-3, or
	// an ICAO code as in an MRZ.
	Country string `json:"country,omitempty"`
	// Name is the declared full name, in any order.
	Name string `json:"name,omitempty"`
	// DocumentName is the name read from the identity document, in MRZ
	// form (SURNAME<<GIVEN<NAMES), "Surname, Given names" or plain.
	DocumentName string `json:"document_name,omitempty"`
}

// Report is the outcome of all checks.
type Report struct {
	Checks []Check `json:"checks"`
	// Score is the mean of the checks that ran, pass 1, warn 0.5, fail 0.
	// It is 0 when Measured is false.
	Score float64 `json:"score"`
	// Measured is false when every check was skipped: the KYA factor is
	// then missing, not zero.
	Measured bool `json:"measured"`
}

// Summary says in a few words what the checks found, for the score
// factor's reason: "5 of 5 checks ran: 4 pass, name warn".
func (r Report) Summary() string {
	count := map[Status]int{}
	var notPass []string
	for _, c := range r.Checks {
		count[c.Status]++
		if c.Status == Fail || c.Status == Warn {
			notPass = append(notPass, c.Name+" "+string(c.Status))
		}
	}
	ran := len(r.Checks) - count[Skip]
	if ran == 0 {
		return "no profile check could run"
	}
	s := fmt.Sprintf("%d of %d checks ran: %d pass", ran, len(r.Checks), count[Pass])
	if len(notPass) > 0 {
		s += ", " + strings.Join(notPass, ", ")
	}
	return s
}

// Config configures a Checker. The zero value runs the checks that need
// neither DNS nor a database: email syntax, phone and name.
type Config struct {
	// Resolver looks up MX records; *net.Resolver satisfies it. Nil skips
	// the MX check.
	Resolver MXResolver
	// LookupTimeout bounds the MX lookup; 0 means 3 seconds. A timeout is
	// a warn.
	LookupTimeout time.Duration
	// GeoIP locates IP addresses; nil skips the IP country check. See
	// OpenMaxMind.
	GeoIP GeoIP
	// Logger receives lookup failures at debug level, never the address or
	// name checked; nil discards.
	Logger *slog.Logger
}

// DefaultLookupTimeout bounds an MX lookup when Config.LookupTimeout is 0.
const DefaultLookupTimeout = 3 * time.Second

// Checker runs the checks. It is safe for concurrent use.
type Checker struct {
	cfg Config
	log *slog.Logger
}

// New returns a Checker. Nothing is contacted until Check.
func New(cfg Config) (*Checker, error) {
	if cfg.LookupTimeout < 0 {
		return nil, fmt.Errorf("kya: negative lookup timeout %v", cfg.LookupTimeout)
	}
	if cfg.LookupTimeout == 0 {
		cfg.LookupTimeout = DefaultLookupTimeout
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Checker{cfg: cfg, log: log}, nil
}

// Check runs every check on in. Bad or missing input makes a check fail
// or skip, never an error; the error is only for a ctx that ended.
func (c *Checker) Check(ctx context.Context, in Input) (Report, error) {
	country, countryErr := "", error(nil)
	if strings.TrimSpace(in.Country) != "" {
		country, countryErr = CountryAlpha2(in.Country)
	}
	syntax, domain := checkEmailSyntax(in.Email)
	mx, err := c.checkMX(ctx, domain, syntax)
	if err != nil {
		return Report{}, err
	}
	ip, err := c.checkIPCountry(ctx, in.IP, in.Country, country, countryErr)
	if err != nil {
		return Report{}, err
	}
	r := Report{Checks: []Check{
		syntax,
		mx,
		checkPhone(in.Phone, country),
		ip,
		checkName(in.Name, in.DocumentName),
	}}
	var sum float64
	ran := 0
	for _, ch := range r.Checks {
		switch ch.Status {
		case Pass:
			sum++
		case Warn:
			sum += 0.5
		case Skip:
			continue
		}
		ran++
	}
	if ran > 0 {
		r.Measured = true
		r.Score = sum / float64(ran)
	}
	return r, nil
}

// maxNameLen bounds the names compared: the longest names on documents
// are well under 100 characters (an MRZ holds 39), so 256 bytes leaves
// room for any real name while keeping the comparison cheap.
const maxNameLen = 256

func checkName(declared, document string) Check {
	ch := Check{Name: CheckName}
	switch {
	case strings.TrimSpace(declared) == "":
		ch.Status, ch.Reason = Skip, "no declared name given"
		return ch
	case strings.TrimSpace(document) == "":
		ch.Status, ch.Reason = Skip, "no document name given"
		return ch
	}
	if len(declared) > maxNameLen || len(document) > maxNameLen {
		ch.Status, ch.Reason = Fail, fmt.Sprintf("a name is longer than %d bytes", maxNameLen)
		return ch
	}
	res := compareNames(declared, document)
	ch.Status, ch.Reason = res.status, res.reason
	a, _ := nameTokens(declared)
	b, _ := nameTokens(document)
	ch.Details = map[string]any{"declared": strings.Join(a, " "), "document": strings.Join(b, " ")}
	return ch
}
