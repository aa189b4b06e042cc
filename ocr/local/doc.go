// Package local builds an ocr.Reader on the backends that run on this
// machine: Tesseract for text (ocr/tesseract), OpenCV for finding documents
// and zones (ocr/locate), zxing-cpp for PDF417 barcodes (ocr/barcode) and
// the ONNX face detector (face) for the holder's photo.
//
// It is the one place that imports every C library of the document path;
// services that only need types or parsing import ocr, mrz or aamva.
//
// Debian's Tesseract is built with OpenMP: run the process with
// OMP_THREAD_LIMIT=1 (the idkit command does this itself), or its worker
// threads spin and an MRZ read costs about 60% more CPU.
package local
