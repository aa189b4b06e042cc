// Package face finds faces in photos and measures them: boxes, 68 landmarks
// and the five alignment points, head pose, eye state, a five-point
// similarity alignment to the 112x112 template every face model here uses,
// and capture-quality codes a capture page can show ("too dim", "near the
// left edge", "eyes closed"...).
//
// Detector is the small interface the rest of idkit consumes. Its ONNX
// implementation, faceonnx.Analyzer (an RFB-320 detector and a 68-point
// landmark net; pose and eye models when asked), lives in the subpackage
// face/faceonnx because it needs the ONNX Runtime C library: this package
// stays pure Go, so consumers that only pass faces around (workflow, an
// HTTP server with remote backends) build without cgo.
package face
