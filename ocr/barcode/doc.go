// Package barcode reads the barcodes on identity documents: PDF417, which
// carries the AAMVA data of US and Canadian driving licences and ID cards,
// and QR codes.
//
// PDF417 is decoded by zxing-cpp (Debian's libzxing-dev, version 1.4)
// through a small C shim; this package is therefore built with cgo and kept
// apart from the pure-Go parsers. zxing-cpp's PDF417 detector gives up
// beyond about 3° of rotation, so the Reader measures the dominant edge angle
// of the image from a gradient-orientation histogram, crops the region where
// the bars are densest, deskews and enlarges it, and tries a few fallback
// angles before giving up with ErrNoBarcode. QR codes are decoded by gozxing
// (pure Go).
//
// ReadAAMVA combines the PDF417 search with the aamva parser and returns
// ErrNotAAMVA for a barcode that is not a licence payload.
//
// EncodePDF417 and EncodeQR render symbols for tests, specimens and the
// evaluation adapters.
package barcode
