// Package score turns the factors of an identity check into one score
// from 0 to 100, a decision (accepted, review, rejected) and an
// explanation a compliance team can read and defend.
//
// The default factors and weights are Liveness 30, Face match 40, Document
// validation 25 and KYA (basic profile checks) 5; a check is accepted at
// 80 or more, sent to review from 60, and rejected below. Weights,
// thresholds and which factors are mandatory are per tenant (Config).
//
// The rules, in the order they are applied:
//
//  1. Hard rules: an input may carry hard failures (a detected spoof, an
//     expired document). Any hard failure rejects the check whatever the
//     arithmetic says, and the reasons say so.
//  2. A mandatory factor that was not measured rejects the check.
//  3. A measured factor scoring below its configured minimum (MinScore)
//     rejects the check, so that a failed face match cannot be outvoted by
//     perfect liveness and document scores.
//  4. Otherwise the score decides. It is the weighted mean of the measured
//     factors: an optional factor that was not measured is left out and the
//     other weights are scaled up to fill its points (renormalized), and the
//     explanation says so.
//
// The score is rounded down to one decimal before it is compared with the
// thresholds, so the number shown always agrees with the decision and
// rounding never lifts a check into a better band: 79.95 is shown 79.9 and
// sent to review, not shown 80.0 and accepted.
//
// A factor's score is in [0, 1]. Producers should put their own pass/fail
// boundary at 0.5 (ThresholdScore maps a measurement with a threshold that
// way) and attach a HardFail for failures no score may outweigh.
package score
