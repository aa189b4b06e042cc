// Package aamva parses the data North American driving licences and ID
// cards carry in their PDF417 bar code, as the AAMVA DL/ID Card Design
// Standard defines it (Annex D), for every version from 1 (AAMVA DL/ID-2000)
// to 10 (2020).
//
// Parse takes the text a bar code reader returns and gives back a Result
// with typed, normalised fields — names, ISO 8601 dates (MMDDCCYY for the
// United States and CCYYMMDD for Canada and version 1, with a fallback when
// an issuer uses the other), sex, address with a normalised postal code,
// height and weight in both unit systems, colours, licence classes, the
// REAL ID compliance type, truncation flags — plus the raw elements of every
// subfile, jurisdiction-specific (Z) subfiles included, so nothing is lost.
//
// Real bar codes rarely follow the standard to the letter: readers drop or
// replace the control characters, prefix a byte-order mark or stray bytes,
// issuers write wrong subfile offsets, leave out the subfile type, glue
// elements together without separators, or replace separators with pipes.
// Parse tolerates all of these and lists what it tolerated in
// Result.Warnings. It returns an error only when the input is not an AAMVA
// payload at all (ErrNotAAMVA), its header cannot be read (ErrHeader,
// ErrTruncated), or it is longer than any bar code holds (ErrTooLarge,
// past MaxPayload bytes).
//
// The issuer identification number (IIN) in the header is checked against
// the AAMVA table of jurisdictions and against the address jurisdiction and
// country in the data; disagreements and missing mandatory elements are
// reported in Result.Problems, and Result.Valid is true when there are none.
//
// The package is pure Go and imports nothing else from idkit.
package aamva
