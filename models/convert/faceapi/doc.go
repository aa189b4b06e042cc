// Package faceapi converts face-api.js's networks (the npm package
// @vladmandic/face-api 1.7.15, MIT) from their TF.js weight manifests into
// ONNX models at install time. The architectures are written here from
// face-api.js's network code and the manifests' layer names and shapes, and
// the golden tests prove each converted model reproduces the original
// JavaScript nets (run with TF.js's WebAssembly backend by
// tools/faceapi-golden).
//
// Every model takes one input, "input": a float32 batch [N, size, size, 3]
// of RGB pixel values 0..255 (NHWC, like the tensor face-api.js builds),
// the face crop padded to a square with black and resized bilinearly
// (Preprocess does exactly that). Mean subtraction and scaling happen inside
// the model, as in face-api.js. The models:
//
//   - AgeGender (112x112): "age" [N], the age in years; "gender" [N, 2], the
//     softmax of the gender head, index 0 = male, 1 = female (face-api.js's
//     genderProbability is the larger one).
//   - Recognition (150x150): "descriptor" [N, 128], face-api.js's face
//     descriptor (compare with Euclidean distance; face-api.js uses 0.6).
//   - Landmark68 (112x112): "landmarks" [N, 136], x0, y0, x1, y1, ... of the
//     68 points relative to the square input (0..1). For a w x h crop,
//     face-api.js maps them back to crop pixels as x·s − (s−w)/2 and
//     y·s − (s−h)/2, with s = max(w, h).
//   - Expression (112x112): "expressions" [N, 7], softmax probabilities in
//     ExpressionLabels order (neutral, happy, sad, angry, fearful,
//     disgusted, surprised); the landmark net's feature extractor with its
//     own fully connected layer.
//
// Load a built model with onnx.Load(convert.Open(dir, faceapi.AgeGender()),
// faceapi.AgeGenderName, onnx.Options{}).
package faceapi
