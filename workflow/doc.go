// Package workflow composes the steps of a remote identity verification
// into one report: liveness of the selfie, reading the identity document,
// validating it, matching the selfie with the document photo, estimating
// the age, the profile checks (KYA), tenant rules and the score.
//
// Every step sits behind a small interface defined here (LivenessChecker,
// DocumentReader, DocumentValidator, FaceMatcher, AgeEstimator,
// ProfileChecker), so a step can be swapped, faked in a test, or run alone
// by enabling only it. The package imports no concrete backend: the CLI
// and the server wire the ONNX and Tesseract implementations in.
//
// A Pipeline runs the steps a versioned per-tenant Config enables. Steps
// that do not need each other's output run at the same time; each step's
// time, input summary and outcome are in the Report, and a step that fails
// (no face, unreadable document, a backend error) is reported as such
// while the others carry on. Tenant rules are CEL expressions over the
// report (document.country in ["FRA", "DEU"], age.estimate >= 21).
//
// AgeFlow is the age-verification flow of the capture portal: a session
// with requirements [face], [identity_document] or both, retried within a
// time window, with statuses compatible with the reference API
// (flowStatus COMPLETED, CANCELLED, EXPIRED; sessionStatus
// AGE_ABOVE_THRESHOLD, AGE_BELOW_THRESHOLD...).
package workflow
