// Package eval measures idkit's modules on labelled folders, so that anyone
// can reproduce the accuracy numbers with `idkit eval ...`.
//
// It has three parts, none of which knows about models or images:
//
//   - readers for the folder formats in DESIGN.md (labels.csv with file,age
//     or file,label; pairs.csv with a,b,same; labels.jsonl for MRZ and
//     AAMVA), which find columns by header name, resolve paths against the
//     folder, and report rows whose file is missing instead of failing;
//   - metric functions (MAE by age band, APCER/BPCER/ACER, EER, ROC AUC,
//     TAR@FAR, accuracy, MRZ exact match and character accuracy, AAMVA
//     field accuracy, timing);
//   - a runner that calls a per-item function on a bounded worker pool with
//     a progress bar, and summaries that turn its outcomes into reports
//     printed as a table or as JSON with the keys DESIGN.md lists.
//
// The CLI (cmd/idkit) wires the perception packages to it: a subcommand reads
// a folder, runs its model on each item through Run and prints the summary.
//
// Scores follow one convention throughout: higher means more likely
// positive (live, same person), and an item is decided positive when its
// score is at or above the threshold.
package eval
