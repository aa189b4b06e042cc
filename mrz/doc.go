// Package mrz reads, checks, repairs and writes the machine readable zones
// of identity documents.
//
// It understands every ICAO Doc 9303 layout — TD1 (3 lines of 30), TD2 (2 of
// 36), TD3 passports (2 of 44), MRV-A and MRV-B visas (2 of 44 and 2 of 36) —
// and the national layouts people meet in Europe: the French national ID card
// issued until 2021 (2 of 36), the French driving licence (1 line of 30) and
// the Swiss driving licence (9 + 30 + 30).
//
// Parse never gives up on a zone whose layout it recognises: it returns a
// Result with every field it could read, each 7-3-1 check digit reported on
// its own (Result.Checks), the problems it found (Result.Problems) and a
// Valid summary. An error is returned only when the lines match no layout.
// Result.Err turns a failed validation into sentinel errors (ErrChecksum,
// ErrField) for callers that prefer to branch on errors.
//
// Repair is for OCR output: it fixes case, stray spaces, line lengths and
// look-alike characters by the character class each position allows (a digit
// where a date is, a letter where a name is), and where a position may hold
// either it chooses the reading whose check digits pass. Every change is
// reported in Result.Repairs.
//
// Generate writes the lines for a set of fields, which is how specimens and
// tests are made. Dates carry ISO 8601 meaning: two-digit years are placed in
// a century relative to Options.Reference (birth dates in the past, expiry
// dates at most Options.ExpiryHorizonYears ahead and not before 1980; an
// expiry date no century fits is a ProblemDate).
//
// Country codes are checked against ISO 3166-1 alpha-3 and the codes ICAO adds
// (D for Germany, the British GBx codes, UN and other organisations, XXA–XXX
// for stateless persons and refugees); UTO, the fictional Utopia of the ICAO
// specimens, is accepted and flagged in Result.Specimen. LookupCountry and
// LookupAlpha2 describe a code (its country, ISO alpha-3 and alpha-2 codes
// and name) for the other packages that need one country table.
//
// The package is pure Go and imports nothing else from idkit.
package mrz
