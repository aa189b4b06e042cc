package main

import (
	"encoding/json"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/score"
	"github.com/idkit-dev/idkit/workflow"
)

func TestVerifyUsage(t *testing.T) {
	for _, args := range [][]string{
		{"verify"},
		{"verify", "--selfie", "a.jpg"},
		{"verify", "--doc-front", "b.jpg"},
		{"verify", "--selfie", "a.jpg", "--doc-front", "b.jpg", "extra"},
		{"verify", "--bogus"},
		{"verify", "--selfie", "a.jpg", "--doc-front", "b.jpg", "--visual", "sometimes"},
	} {
		code, _, _ := runCLI(t, args...)
		assert.Equal(t, 2, code, "%v", args)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "policy.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("steps: [telepathy]"), 0o600))
	code, _, stderr := runCLI(t, "verify", "--selfie", "a.jpg", "--doc-front", "b.jpg", "--config", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `unknown step "telepathy"`)
	code, _, stderr = runCLI(t, "verify", "--selfie", filepath.Join(dir, "absent.jpg"), "--doc-front", "b.jpg")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "absent.jpg")
}

// TestVerifyCommand runs idkit verify on a photographed specimen passport
// with the real models.
func TestVerifyCommand(t *testing.T) {
	modeltest.Cache(t, "fr_detect", "fr_landmark", "mobilefacenet_tflite", "faceapi_recognition_manifest", "faceapi_recognition_weights", "fr_liveness", "fr_pose", "fr_eye", "ocrb_mrz", "paddle_det", "paddle_rec", "paddle_keys")
	if _, err := specimen.FontPath(); err != nil {
		t.Skipf("specimens need the OCR-B font: %v", err)
	}
	t.Setenv("IDKIT_MODELS", modeltest.Dir())
	faces := filepath.Join(modeltest.RepoRoot(), "testdata", "faces")
	portrait, _, err := imageio.ReadFile(filepath.Join(faces, "obama_official_portrait_2012.jpg"), imageio.Limits{})
	require.NoError(t, err)
	expiry := time.Now().AddDate(5, 0, 0)
	doc, err := specimen.Render(specimen.Spec{Face: portrait, Fields: mrz.Fields{Format: mrz.TD3, DocumentCode: "P",
		IssuingState: "FRA", Nationality: "FRA", Surname: "DUPONT", GivenNames: "JEAN", DocumentNumber: "18AB12345",
		BirthDate: mrz.NewDate(1961, 8, 4), Sex: mrz.Male, ExpiryDate: mrz.DateOf(expiry)}})
	require.NoError(t, err)
	photo := specimen.Photograph(doc.Front, specimen.Degradation{Rotation: 2, Noise: 2}, 1)
	front := filepath.Join(t.TempDir(), "front.jpg")
	fh, err := os.Create(front)
	require.NoError(t, err)
	require.NoError(t, jpeg.Encode(fh, photo, &jpeg.Options{Quality: 90}))
	require.NoError(t, fh.Close())
	selfie := filepath.Join(faces, "obama_2010_blue_room_crop.jpg")

	code, stdout, stderr := runCLI(t, "verify", "--selfie", selfie, "--doc-front", front, "--no-dns",
		"--email", "jean.dupont@example.com", "--name", "Jean Dupont")
	require.Equal(t, 0, code, stderr)
	var r workflow.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &r), stdout)
	assert.Equal(t, score.Accepted, r.Decision, "%q", r.Reasons)
	require.NotNil(t, r.FaceMatch)
	assert.True(t, r.FaceMatch.Match)
	require.NotNil(t, r.Liveness)
	assert.True(t, r.Liveness.IsLive)
	require.NotNil(t, r.KYA)
	assert.True(t, r.KYA.Measured)

	code, stdout, stderr = runCLI(t, "verify", "--selfie", filepath.Join(faces, "biden_2010_blue_room_crop.jpg"),
		"--doc-front", front, "--no-dns", "--explain")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "Decision: REJECTED")
	assert.Contains(t, stdout, "not the same person")
}
