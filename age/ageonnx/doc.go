// Package ageonnx is the ONNX Runtime age estimator, FaceAPI: face-api.js's
// age/gender net implementing age.Estimator. It needs the ONNX Runtime C
// library, so it lives apart from package age, whose decisions, policies and
// session aggregation are pure Go.
//
// The model is face-api.js's age/gender net, converted to ONNX at install
// time (models/convert/faceapi) and proven equal to the original. It was
// chosen by measurement on 1,058 labelled faces (UTKFace crops): the
// faceplugin SSR-Net age model has no usable signal (MAE 16 years, r 0.13)
// and Human's faceres reached MAE 9.1 while face-api.js's net reached 4.8;
// averaging the two made things worse. face-api.js's net was trained partly
// on UTKFace, so figures on UTKFace are optimistic. age.Estimator is the
// interface, so a better model can replace it.
//
// Each face is aligned by its five landmarks to the framing of the net's
// training crops (frameTemplate), then the net runs on the aligned face and
// its mirror image in one batch. The mean is the age; the spread of the two
// views and the model's typical error at that age make the standard
// deviation; Confidence falls as the views disagree. On
// ../shared/eval-dev/age the alignment matters: the detector box alone gave
// MAE 5.0–5.9 depending on the crop scale, the aligned frame 4.76. More
// context around the face (zooming out) biased every band younger by 2–10
// years, so the default uses the training framing only.
//
// Calibration: on the even rows of the dev set the aligned estimate's bias
// per band was within ±1.3 years (−0.40, −0.26, +0.87, 0.00, −0.72, −1.30
// for 0-12, 13-17, 18-24, 25-34, 35-49, 50+), so DefaultCalibration is the
// identity; Config.Calibration (an age.Calibration) exists for models or
// populations that need one.
package ageonnx
