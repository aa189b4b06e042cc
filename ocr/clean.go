package ocr

import "image"

// flattenBlock is the cell size of the background estimate, in pixels of
// the image given to flatten: larger than any stroke of the visual zone at
// the width the reader OCRs it (1800 pixels).
const flattenBlock = 8

// flatten returns img in grey with the background levelled out: each
// pixel's darkness below the local background is stretched so that print
// becomes black on white and faint patterns (guilloche, tints, shading)
// fade to white. Tesseract finds the small grey captions of a document's
// visual zone far better on the result. The background is a grey-scale
// closing computed on cells: the brightest pixel of each cell, the
// brightest cell of each 3x3 neighbourhood, then the darkest of those.
// floor is the darkness (0–255) below which a pixel counts as background.
func flatten(img *image.RGBA, floor int) *image.Gray {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):]
		o := out.Pix[y*w : (y+1)*w]
		for x := range o {
			o[x] = uint8((299*int(row[4*x]) + 587*int(row[4*x+1]) + 114*int(row[4*x+2]) + 500) / 1000)
		}
	}
	level(out, floor)
	return out
}

// flattenGray is flatten for a grey image (an MRZ zone), returning a copy.
func flattenGray(g *image.Gray, floor int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		copy(out.Pix[y*w:(y+1)*w], g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):])
	}
	level(out, floor)
	return out
}

// level levels out's background in place (see flatten).
func level(out *image.Gray, floor int) {
	w, h := out.Rect.Dx(), out.Rect.Dy()
	const b = flattenBlock
	cw, ch := (w+b-1)/b, (h+b-1)/b
	cell := make([]uint8, cw*ch)
	for y := 0; y < h; y++ {
		o := out.Pix[y*w : (y+1)*w]
		crow := cell[(y/b)*cw:]
		for x, v := range o {
			if v > crow[x/b] {
				crow[x/b] = v
			}
		}
	}
	around := func(src []uint8, isMax bool) []uint8 {
		dst := make([]uint8, len(src))
		for cy := 0; cy < ch; cy++ {
			for cx := 0; cx < cw; cx++ {
				v := src[cy*cw+cx]
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						x, y := cx+dx, cy+dy
						if x < 0 || y < 0 || x >= cw || y >= ch {
							continue
						}
						if u := src[y*cw+x]; isMax && u > v || !isMax && u < v {
							v = u
						}
					}
				}
				dst[cy*cw+cx] = v
			}
		}
		return dst
	}
	bg := around(around(cell, true), false)
	span := max(1, 110-floor)
	for y := 0; y < h; y++ {
		o := out.Pix[y*w : (y+1)*w]
		brow := bg[(y/b)*cw:]
		for x, v := range o {
			d := int(brow[x/b]) - int(v)
			if d <= floor {
				o[x] = 255
				continue
			}
			o[x] = uint8(max(0, 255-(d-floor)*255/span))
		}
	}
}
