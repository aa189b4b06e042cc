// Package paddle is an ocr.Engine on the PaddleOCR v4 (PP-OCRv4) ONNX
// models, run with ONNX Runtime (internal/onnx). It reads the visual zone
// (ocr.ModeText); machine readable zones stay with Tesseract's OCR-B model
// (ocr/tesseract), and ModeMRZ returns an error wrapping ErrMode.
//
// Two models do the work, as in PaddleOCR's own pipeline:
//
//   - Detection (asset "paddle_det", ch_PP-OCRv4_det_infer.onnx, a DBNet):
//     input x [1,3,H,W] float, the image in BGR order normalised with the
//     ImageNet mean and standard deviation (PaddleOCR loads images with
//     OpenCV, so its NormalizeImage applies mean[0] to blue), the longest
//     side limited to Config.DetectSide (960, PaddleOCR's limit_side_len)
//     and both sides rounded to multiples of 32. Output sigmoid_0.tmp_0
//     [1,1,H,W] is a text probability map. It is thresholded at 0.3; each
//     connected region whose bounding box has a mean probability of at
//     least 0.6 becomes a box, grown by the DB "unclip" distance
//     area×1.5/perimeter on every side and scaled back to the image.
//     Documents reach the engine deskewed (ocr.Reader rectifies them), so
//     boxes are axis-aligned rectangles rather than PaddleOCR's rotated
//     ones.
//   - Recognition (asset "paddle_rec", ch_PP-OCRv4_rec_infer.onnx, SVTR-LCNet):
//     input x [1,3,48,W] float, each box resized to height 48 keeping its
//     aspect ratio, BGR, (v/255−0.5)/0.5, padded with zeros to at least 320
//     columns. Output softmax_11.tmp_0 [1,T,6625]: index 0 is the CTC blank,
//     1–6623 the lines of "paddle_keys" (ppocr_keys_v1.txt: Chinese, Latin
//     letters with some accents such as É and Ü, digits and punctuation)
//     and 6624 a space. Greedy CTC decoding; a line's confidence is the mean
//     of its characters' probabilities, and lines under
//     Config.MinConfidence (0.5, PaddleOCR's drop_score) are dropped.
//
// The direction classifier (asset "paddle_cls") is not used: it only
// detects text turned 180°, which a rectified document does not have.
//
// ocr.LayoutLine skips detection and recognises the whole image as one
// line; LayoutBlock and LayoutSparse detect first.
//
// When to prefer it: as the visual-zone engine (ocr.Config.VisualEngine,
// ocr/local's Config.VisualEngine) when accuracy matters more than time.
// On 60 random TD3/TD1/DL specimens (ocr/local TestMeasureVisualEngines)
// the Reader's visual-zone values matched exactly 92.1% of the time with
// it against 87.0% with Tesseract's eng on clean renders, and 86.7%
// against 77.9% on photographs (specimen.Realistic); it gains most on
// document numbers, dates and single letters (sex), and costs about
// 0.56 s of thread CPU per document against Tesseract's 0.27 s. ocr/local
// uses it for the visual zone by default (Config.VisualOCR); package ocr
// itself uses whatever Engine its Config names.
package paddle
