// Package ocr reads identity documents: passports, ID cards, residence
// permits and driving licences, from a photo of the front and, when given,
// the back.
//
// Reader.Read finds the document in the photo and corrects its
// perspective, reads the machine readable zone (repaired and checked with
// package mrz), the PDF417 barcode of North American licences (parsed with
// package aamva) and the printed visual zone, and returns typed, normalised
// fields — each with a confidence and the source it came from (MRZ,
// barcode or visual text) — every zone's own reads beside them
// (Document.Zones, for the cross-zone checks of package docvalidate), the
// detected document type and country, the
// holder's photo cut out by a face detector, and sharpness and glare
// measures. A photo without a readable document gives an empty result with
// reason codes, not an error.
//
// The package is pure Go. The heavy lifting sits behind small interfaces
// so that importing ocr never pulls in a C library: Engine (text lines with
// boxes and confidences; ocr/tesseract), Locator (document outline,
// perspective correction, MRZ zones; ocr/locate on OpenCV), BarcodeReader
// (ocr/barcode on zxing-cpp) and FaceFinder (the face package). Package
// ocr/local wires those implementations together.
package ocr
