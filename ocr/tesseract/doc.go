// Package tesseract is an ocr.Engine on Tesseract 5 (Debian's libtesseract)
// through gosseract.
//
// Machine readable zones are read with the OCR-B LSTM model ocrb_int (the
// models asset "ocrb_mrz"), restricted to the MRZ alphabet; the visual zone
// with the installed Tesseract languages (eng by default).
//
// Initialising a Tesseract instance loads its model and takes 250–750 ms,
// so the Engine keeps a pool of initialised clients per mode and reuses
// them; Warm initialises them ahead of the first request. A client serves
// one image at a time, and the pool grows up to Config.PoolSize clients per
// mode, so that many goroutines can share one Engine.
//
// gosseract's SetPageSegMode is undone by Tesseract's Init, so the page
// segmentation mode is set as the variable tessedit_pageseg_mode, which
// Init preserves.
package tesseract
