package kya

import (
	"errors"
	"fmt"
	"strings"

	"github.com/idkit-dev/idkit/mrz"
)

// ErrUnknownCountry is returned for a code that names no country.
var ErrUnknownCountry = errors.New("kya: unknown country code")

// CountryAlpha2 turns an ISO 3166-1 alpha-2 or alpha-3 code, or an ICAO
// nationality code as printed in an MRZ ("D", "GBD"), into the alpha-2 code
// GeoIP databases use. Case and surrounding blanks and '<' fillers are
// ignored. Codes for no country (UNO, XXA stateless...) are
// ErrUnknownCountry.
//
// The codes are mrz's table (generated from Debian's iso-codes, plus the
// ICAO codes), so that the MRZ parser, the age of majority and this check
// agree on what a country is; Kosovo, RKS in its passports, is XK.
func CountryAlpha2(code string) (string, error) {
	c := strings.ToUpper(strings.Trim(code, " \t<"))
	lookup := mrz.LookupCountry
	if len(c) == 2 {
		lookup = mrz.LookupAlpha2
	}
	if country, ok := lookup(c); ok && country.Alpha2 != "" {
		return country.Alpha2, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownCountry, code)
}
