//go:build !amd64 && !arm64

package onnx

// withoutDenormals runs fn; on this architecture the denormal flags are
// left alone (see denormal_asm.go).
func withoutDenormals(fn func()) { fn() }
