// Package age estimates a person's age from a face and decides an age check
// with a challenge buffer ("Challenge 25": a face must look 25 to pass an
// 18+ check without showing an ID document).
//
// Estimator is the interface. Its implementation on face-api.js's age/gender
// net, ageonnx.FaceAPI, lives in the subpackage age/ageonnx (which documents
// the model's choice, alignment and calibration) because it needs the ONNX
// Runtime C library: this package stays pure Go, so consumers that only
// decide on estimates (workflow, an HTTP server with remote backends) build
// without cgo.
//
// Measured with `idkit eval age ../shared/eval-dev/age --threshold 18
// --challenge 25 --json` (552 faces, ages 10–70, 2 shared cores):
// MAE 4.76 years (bias −0.10); by band 2.02 / 3.26 / 3.21 / 4.97 / 7.01 /
// 6.43 with bias −0.36 / −0.88 / +0.75 / +1.63 / +0.66 / −1.92; under
// Challenge25, 1 of 124 minors (0.8%) passed on the face alone and 216 of
// 290 adults aged 25+ (74.5%); 22 ms per image median for decode, detection,
// landmarks and both age views. Challenge25's confidence floor (0.55) was
// chosen looking at this same set: without it 2 of 124 minors (1.6%) and
// 92% of adults passed.
//
// Decide turns an Estimate into above / below / needs_document with a
// reason; Policy.ThresholdOnly keeps the estimated age out of the decision
// (privacy mode). Aggregate combines the frames of a capture session with
// outlier rejection and a same-person check. Majority gives the age of
// majority of a country (ISO or ICAO 9303 code, as in MRZs) or US/Canadian
// state for the document path; LookupMajority also says where the age
// comes from, or why it is a guess.
package age
