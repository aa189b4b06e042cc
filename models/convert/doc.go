// Package convert builds ONNX models from TensorFlow.js weights at install
// time, so that idkit can run networks that are published only as TF.js
// weight manifests (face-api.js's nets) on ONNX Runtime.
//
// It has three parts, each usable on its own:
//
//   - Weights reads a TF.js weights manifest and its .bin shards, including
//     the quantized uint8/uint16/float16 encodings, exactly as TF.js decodes
//     them.
//   - Graph is a small graph-building API with TensorFlow semantics (NHWC
//     filters, "same"/"valid" padding, TF's pooling and flattening order) that
//     emits an ONNX graph in NCHW layout, with static shape tracking so errors
//     in an architecture show up at build time, not in ONNX Runtime.
//   - Model and Install describe a converted model (the assets it is built
//     from, the file it goes to, the SHA-256 it must have) and write it
//     atomically into a models directory, skipping it when it is already
//     there and intact.
//
// The output is deterministic: the same inputs give the same bytes, on every
// run and every platform (weights are decoded with explicit float rounding,
// names come from counters and weight names, and the protobuf is marshalled
// with deterministic field order). Models are written with IR version 8 and
// opset 17, the newest the ONNX 1.12 schema in internal/onnxpb describes.
//
// Architectures live in sub-packages (convert/faceapi).
package convert
