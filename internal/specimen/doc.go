// Package specimen renders fictional identity documents — TD1 ID cards,
// TD2 cards, TD3 passports and ID-1 driving licences — and photographs them,
// so that the whole document-reading path can be tested end to end without
// real documents.
//
// Render draws a document at a chosen resolution with ICAO 9303 dimensions:
// a guilloche-like background, a header, a face photo, bilingual visual-zone
// labels and values, and the machine-readable zone in OCR-B at 10 characters
// per inch (Debian's fonts-ocr-b; see FontPath). The MRZ is generated with
// mrz.Generate from the same fields, or given as is for deliberately wrong
// zones (see Corrupt). A TD1 card and a driving licence have a back side: the
// MRZ, or a barcode image the caller renders.
//
// Photograph turns a rendered document into a phone photo: placed on a
// background at a slant, in perspective, then blurred, lit with a glare spot,
// given sensor noise and JPEG compression. Every random choice comes from
// the seed, so a test or an evaluation set is reproducible.
//
// The package is pure Go. It is internal: it serves tests, the evaluation
// commands and examples, not production code.
package specimen
