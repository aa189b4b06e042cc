package liveness

// Warning is one remark on a liveness check, in the style of commercial
// verification reports: Risk is a stable machine code, LogType its
// severity, and the two descriptions are for people.
type Warning struct {
	Risk             string  `json:"risk"`
	LogType          LogType `json:"log_type"`
	ShortDescription string  `json:"short_description"`
	LongDescription  string  `json:"long_description"`
}

// LogType is a warning's severity.
type LogType string

// Severities: information does not change the verdict, warning weakens
// it, error explains a rejection.
const (
	LogInformation LogType = "information"
	LogWarning     LogType = "warning"
	LogError       LogType = "error"
)

// Warning codes (Warning.Risk).
const (
	RiskNoFace          = "NO_FACE_DETECTED"
	RiskMultipleFaces   = "MULTIPLE_FACES"
	RiskFaceTooSmall    = "FACE_TOO_SMALL"
	RiskLowScore        = "LOW_LIVENESS_SCORE"
	RiskFaceAttack      = "LIVENESS_FACE_ATTACK"
	RiskPoorCapture     = "POOR_CAPTURE_QUALITY"
	RiskBorderlineScore = "BORDERLINE_LIVENESS_SCORE"
)

// newWarning returns the warning for code.
func newWarning(code string) Warning {
	w := Warning{Risk: code}
	switch code {
	case RiskNoFace:
		w.LogType, w.ShortDescription = LogError, "No face detected"
		w.LongDescription = "No face was found in the image, so liveness could not be checked. Ask the user to face the camera in good light."
	case RiskMultipleFaces:
		w.LogType, w.ShortDescription = LogWarning, "More than one face"
		w.LongDescription = "Several faces are visible; only the largest was checked. A second face can be a bystander or a photo held beside the user."
	case RiskFaceTooSmall:
		w.LogType, w.ShortDescription = LogWarning, "Face too small"
		w.LongDescription = "The face is too small in the image for the liveness checks to see re-capture artefacts, so no decision was made. Ask the user to move closer."
	case RiskLowScore:
		w.LogType, w.ShortDescription = LogError, "Low liveness score"
		w.LongDescription = "The combined liveness score is below the threshold: the face looks like a presentation attack (a photo, a screen or a mask) rather than a live person."
	case RiskFaceAttack:
		w.LogType, w.ShortDescription = LogError, "Presentation attack signs"
		w.LongDescription = "The image shows signs of a re-captured face: a strong periodic pattern (the pixel grid of a screen or the halftone dots of a print) over the face."
	case RiskPoorCapture:
		w.LogType, w.ShortDescription = LogInformation, "Poor capture quality"
		w.LongDescription = "The capture has quality problems (see hints) that make the liveness decision less reliable. Fixing them and capturing again is advised."
	case RiskBorderlineScore:
		w.LogType, w.ShortDescription = LogWarning, "Borderline liveness score"
		w.LongDescription = "The face passed, but with a score close to the threshold. Consider an active (challenge-response) check."
	}
	return w
}
