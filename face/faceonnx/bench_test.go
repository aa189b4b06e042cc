package faceonnx_test

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"image/jpeg"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// sceneJPEG renders the Hopper portrait into a w x h frame (as a webcam or
// phone would deliver it) and encodes it as JPEG.
func sceneJPEG(b *testing.B, w, h int) []byte {
	src := load(b, "grace_hopper_512x512.jpg")
	side := h * 3 / 4
	frame := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(frame, frame.Rect, image.NewUniform(colorGray), image.Point{}, draw.Src)
	face := imgproc.Resize(src, side, side)
	draw.Draw(frame, face.Rect.Add(image.Pt((w-side)/2, (h-side)/2)), face, image.Point{}, draw.Src)
	var buf bytes.Buffer
	require.NoError(b, jpeg.Encode(&buf, frame, &jpeg.Options{Quality: 90}))
	return buf.Bytes()
}

// benchPipeline measures decode + detect + landmarks, the work every
// selfie goes through.
func benchPipeline(b *testing.B, w, h int) {
	a, err := faceonnx.New(faceonnx.Config{Models: newAnalyzerCache(b)})
	require.NoError(b, err)
	defer a.Close()
	data := sceneJPEG(b, w, h)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		img, _, err := imageio.DecodeBytes(data, imageio.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		faces, err := a.Detect(context.Background(), img)
		if err != nil || len(faces) != 1 {
			b.Fatalf("faces %d err %v", len(faces), err)
		}
	}
}

func BenchmarkPipeline640x480(b *testing.B)   { benchPipeline(b, 640, 480) }
func BenchmarkPipeline1920x1080(b *testing.B) { benchPipeline(b, 1920, 1080) }

// BenchmarkPipelineParallel640x480 runs the pipeline from GOMAXPROCS
// goroutines (-cpu 1,2,4) sharing one Analyzer.
func BenchmarkPipelineParallel640x480(b *testing.B) {
	a, err := faceonnx.New(faceonnx.Config{Models: newAnalyzerCache(b)})
	require.NoError(b, err)
	defer a.Close()
	data := sceneJPEG(b, 640, 480)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			img, _, err := imageio.DecodeBytes(data, imageio.Limits{})
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := a.Detect(context.Background(), img); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
