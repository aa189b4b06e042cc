// Package facematch decides whether two face images show the same person:
// a selfie and the portrait on an identity document, two selfies, or an
// image and a stored template.
//
// Embedder turns an aligned face into an L2-normalised vector; ONNXEmbedder
// runs fr_feature (faceplugin-face-recognition-js, 512-d, on the 112x112
// five-point alignment of package face). Matcher finds the face (the
// largest, or the one asked for), aligns it, embeds it, and maps the
// cosine of two embeddings to a similarity on 0–1 with a monotone
// Calibration, deciding Match against a threshold that is per Matcher (a
// tenant's policy) and per call (WithThreshold).
//
// Templates are embeddings serialized with their model's identity and a
// checksum; comparing embeddings from different models (another network,
// other weights, other pre-processing) is refused with a
// *ModelMismatchError instead of producing a meaningless score.
//
// Document portraits (Probe.Document) take a longer path: detection on a
// smoothed copy when the print texture hides the face, a cubic upscale of
// the face crop, and a second detection on it (document.go).
//
// The calibration in this revision is provisional; the numbers it stands
// for are being measured.
package facematch
