// Package kya runs basic profile checks ("know your applicant") on what a
// user declared, as the optional 5-point factor of an identity check:
//
//   - email: syntax (internationalized domains allowed), then MX records
//     through an injected resolver. A lookup timeout or server failure is a
//     warn, never a fail: DNS trouble says nothing about the user.
//   - phone: parsed and validated per region with libphonenumber's data
//     (github.com/nyaruka/phonenumbers); a valid number from another country
//     than the declared one, or a premium-rate or toll-free line, is a warn.
//   - IP country: the country of the user's IP address, from a GeoIP
//     database (MaxMind format), against the declared country.
//   - name: the declared name against the name on the document, with case,
//     diacritics and ICAO Doc 9303 transliterations (Ä → AE, Ø → OE,
//     ß → SS, ...) folded; word order, spacing and a missing middle name are
//     tolerated, one wrong letter or a declared word after the surname that
//     the document does not have is a warn.
//
// Each check reports pass, fail, warn or skip with a reason; a check that
// cannot run (nothing given, no database configured) is skip, never a
// silent pass. Report.Score averages the checks that ran (pass 1, warn 0.5,
// fail 0) for the score package's KYA factor.
//
// DNS and GeoIP are injected (Config.Resolver, Config.GeoIP); with neither,
// no network or file is touched and those checks skip.
package kya
