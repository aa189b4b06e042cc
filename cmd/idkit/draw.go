package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/idkit-dev/idkit/face"
)

// drawPath returns where the i-th of n annotated images goes: out itself
// for one image, out with an index before the extension for several.
func drawPath(out string, i, n int) string {
	if n == 1 {
		return out
	}
	ext := filepath.Ext(out)
	return fmt.Sprintf("%s-%d%s", strings.TrimSuffix(out, ext), i+1, ext)
}

// drawFaces writes a PNG copy of img with each face's box (green, or red
// below the given score) and landmarks (yellow; the five alignment points in
// cyan).
func drawFaces(path string, img *image.RGBA, faces []face.Face) error {
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	thick := max(1, img.Rect.Dx()/400)
	for _, f := range faces {
		c := color.RGBA{0, 220, 0, 255}
		rect(out, f.Box.Rectangle(), thick, c)
		for _, p := range f.Landmarks {
			dot(out, p, thick+1, color.RGBA{255, 220, 0, 255})
		}
		for _, p := range f.Points5 {
			dot(out, p, thick+2, color.RGBA{0, 220, 255, 255})
		}
	}
	return savePNG(path, out)
}

// savePNG writes img to path, reporting a failed close (a full disk) too.
func savePNG(path string, img image.Image) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(fh, img); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func rect(img *image.RGBA, r image.Rectangle, t int, c color.RGBA) {
	for k := 0; k < t; k++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, r.Min.Y+k, c)
			img.SetRGBA(x, r.Max.Y-1-k, c)
		}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			img.SetRGBA(r.Min.X+k, y, c)
			img.SetRGBA(r.Max.X-1-k, y, c)
		}
	}
}

func dot(img *image.RGBA, p face.Point, r int, c color.RGBA) {
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			if dx*dx+dy*dy <= r*r {
				img.SetRGBA(int(p.X)+dx, int(p.Y)+dy, c)
			}
		}
	}
}
