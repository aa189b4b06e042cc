package faceapi

import (
	"image"
	"image/color"
	"math"
)

// Preprocess turns a face crop into a model input the way face-api.js does
// for an image tensor (NetInput.toBatchTensor with centred padding): pad the
// shorter side with black to a square (the odd pixel after the image), then
// resize to size x size bilinearly with TensorFlow's legacy sampling (no
// corner alignment, no half-pixel centres), as TF.js's WebAssembly backend
// computes it. It returns size·size·3 float32
// RGB values 0..255 in NHWC order, ready for an onnx.Tensor of shape
// [1, size, size, 3]. An empty image or a non-positive size gives nil.
func Preprocess(img image.Image, size int) []float32 {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 || size <= 0 {
		return nil
	}
	rgb := make([]float32, w*h*3)
	for y := range h {
		for x := range w {
			c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			i := 3 * (y*w + x)
			rgb[i], rgb[i+1], rgb[i+2] = float32(c.R), float32(c.G), float32(c.B)
		}
	}
	// ops/padToSquare.ts: Math.round(diff/2) zero rows/columns go after the
	// image, the rest before it.
	side := max(w, h)
	diff := abs(w - h)
	before := diff - int(math.Floor(float64(diff)*0.5+0.5))
	offX, offY := 0, 0
	if w < h {
		offX = before
	} else {
		offY = before
	}
	at := func(y, x, ch int) float32 {
		x, y = x-offX, y-offY
		if x < 0 || y < 0 || x >= w || y >= h {
			return 0
		}
		return rgb[3*(y*w+x)+ch]
	}
	// The resize follows TF.js's WebAssembly backend (XNNPACK's bilinear
	// resize in TensorFlow legacy mode), in float32 like it: the source
	// position is out·(in/out), its fraction the blend weight. The float32
	// conversions round every step and stop the compiler fusing
	// multiply-adds, so the result matches TF.js to the last bit.
	out := make([]float32, size*size*3)
	scale := float32(side) / float32(size)
	for r := range size {
		sy := float32(float32(r) * scale)
		y0 := int(sy)
		y1 := min(y0+1, side-1)
		fy := sy - float32(y0)
		for c := range size {
			sx := float32(float32(c) * scale)
			x0 := int(sx)
			x1 := min(x0+1, side-1)
			fx := sx - float32(x0)
			for ch := range 3 {
				tl, tr := at(y0, x0, ch), at(y0, x1, ch)
				bl, br := at(y1, x0, ch), at(y1, x1, ch)
				top := tl + float32((tr-tl)*fx)
				bottom := bl + float32((br-bl)*fx)
				out[3*(r*size+c)+ch] = top + float32((bottom-top)*fy)
			}
		}
	}
	return out
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
