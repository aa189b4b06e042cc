// Package faceonnx is the ONNX Runtime face analyzer: detection (an RFB-320
// detector), 68 landmarks and the five alignment points, and, when asked,
// head pose and eye state. Analyzer implements face.Detector; create one
// and share it between goroutines.
//
// It needs the ONNX Runtime C library, so it lives apart from package face,
// whose types, alignment and quality checks are pure Go.
package faceonnx
