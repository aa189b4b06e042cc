package faceonnx_test

import (
	"image"
	"image/color"
	"image/draw"
	"path/filepath"
	"strings"
	"testing"

	"github.com/idkit-dev/idkit/internal/modeltest"
)

var fixtures = modeltest.Faces

func load(t testing.TB, name string) *image.RGBA { return modeltest.LoadFace(t, name) }

func short(name string) string { return strings.TrimSuffix(name, filepath.Ext(name)) }

var colorGray = color.RGBA{128, 128, 128, 255}

// solid is a uniform opaque image.
func solid(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, image.NewUniform(color.RGBA{c.R, c.G, c.B, 255}), image.Point{}, draw.Src)
	return img
}
