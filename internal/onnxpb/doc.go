// Package onnxpb holds the Go types of the ONNX protobuf schema (ModelProto,
// GraphProto, NodeProto, TensorProto...), generated from the official
// onnx.proto that Debian 12 ships in libonnx-dev 1.12.0 (ONNX 1.12, IR
// version 8, opsets up to 17). Marshal them with google.golang.org/protobuf.
//
// onnx.pb.go is generated and committed; regenerate it with
// `go generate ./internal/onnxpb` (see gen.sh for what it needs).
package onnxpb

//go:generate sh gen.sh
