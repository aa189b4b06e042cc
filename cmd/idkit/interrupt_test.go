package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/idkit-dev/idkit/internal/modeltest"
)

// An interrupted face, age or liveness run says so, rather than counting
// the images it never analysed as having no usable face.
func TestImageCommandsInterrupted(t *testing.T) {
	modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_liveness", "faceapi_age_gender_manifest", "faceapi_age_gender_weights")
	img := filepath.Join(modeltest.RepoRoot(), "testdata", "faces", "obama_official_portrait_2012.jpg")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range []string{"face", "age", "liveness"} {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(ctx, &cliEnv{stdout: &out, stderr: &errb}, []string{name, "--models", modeltest.Dir(), img, img})
			assert.Equal(t, 1, code)
			assert.Contains(t, errb.String(), "interrupted")
			assert.NotContains(t, errb.String(), "images")
		})
	}
}
