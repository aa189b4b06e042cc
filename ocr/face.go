package ocr

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
)

// faceCropMargin widens the detector's box (about the face alone) to the
// head-and-shoulders framing of a document photo.
const faceCropMargin = 0.35

// faceCrop finds the holder's photo on the front and stores it as a base64
// JPEG.
func (r *Reader) faceCrop(ctx context.Context, doc *Document, p *page) error {
	faces, err := r.faces.FindFaces(ctx, p.doc)
	if err != nil {
		return fmt.Errorf("ocr: finding the holder's photo: %w", err)
	}
	if len(faces) == 0 {
		doc.reason(ReasonNoFace)
		return nil
	}
	// The holder's photo is the largest face; ghost images are smaller.
	best := faces[0]
	for _, f := range faces[1:] {
		if f.Box.Dx()*f.Box.Dy() > best.Box.Dx()*best.Box.Dy() {
			best = f
		}
	}
	b := best.Box
	mx, my := int(float64(b.Dx())*faceCropMargin), int(float64(b.Dy())*faceCropMargin)
	crop := image.Rect(b.Min.X-mx, b.Min.Y-my, b.Max.X+mx, b.Max.Y+my).Intersect(p.doc.Rect)
	if crop.Empty() {
		doc.reason(ReasonNoFace)
		return nil
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, p.doc.SubImage(crop), &jpeg.Options{Quality: 90}); err != nil {
		return fmt.Errorf("ocr: encoding the face crop: %w", err)
	}
	doc.Images.FaceCropBase64 = base64.StdEncoding.EncodeToString(buf.Bytes())
	if p.quad != nil {
		// Report the box in the photo's coordinates.
		q := toSource(Quad{{float64(crop.Min.X), float64(crop.Min.Y)}, {float64(crop.Max.X), float64(crop.Min.Y)},
			{float64(crop.Max.X), float64(crop.Max.Y)}, {float64(crop.Min.X), float64(crop.Max.Y)}},
			p.doc.Rect.Dx(), p.doc.Rect.Dy(), *p.quad)
		crop = q.Bounds()
	}
	doc.Images.FaceBox = boxOf(crop)
	return nil
}
