// Package face finds faces in photos and measures them: boxes, 68 landmarks
// and the five alignment points, head pose, eye state, a five-point
// similarity alignment to the 112x112 template every face model here uses,
// and capture-quality codes a capture page can show ("too dim", "near the
// left edge", "eyes closed"...).
//
// Detector is the small interface the rest of idkit consumes; Analyzer is
// its implementation on ONNX models (an RFB-320 detector and a 68-point
// landmark net; pose and eye models when asked), created once and shared by
// goroutines.
package face
