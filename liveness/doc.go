// Package liveness tells a live person in front of the camera from a
// presentation attack (a printed photo, a screen, a mask), from one photo
// (passive) or from a short challenge-response sequence of frames (active).
//
// Passive is the single-photo Checker: the fr_liveness network plus
// hand-made cues, fused by a small logistic model. Measured numbers, the
// fusion and its fit are described in the package's README section.
package liveness
