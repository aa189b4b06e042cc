package ocr_test

import (
	"context"
	"fmt"
	"image"
	"time"

	"github.com/idkit-dev/idkit/ocr"
)

// engine is a stand-in for ocr/tesseract: it "reads" a passport's MRZ.
type engine struct{}

func (engine) ReadLines(_ context.Context, _ image.Image, o ocr.Options) ([]ocr.Line, error) {
	if o.Mode != ocr.ModeMRZ {
		return nil, nil
	}
	return []ocr.Line{
		{Text: "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", Confidence: 0.92},
		{Text: "L898902C36UTO7408122F1204159ZE184226B<<<<<10", Confidence: 0.93},
	}, nil
}

// locator is a stand-in for ocr/locate: the whole image is the zone.
type locator struct{}

func (locator) Document(context.Context, *image.RGBA) (ocr.Quad, bool, error) {
	return ocr.Quad{}, false, nil
}
func (locator) Rectify(img *image.RGBA, _ ocr.Quad, _, _ int) (*image.RGBA, error) {
	return img, nil
}
func (locator) Zones(_ context.Context, img *image.RGBA) ([]ocr.Zone, error) {
	return []ocr.Zone{{Image: image.NewGray(img.Rect)}}, nil
}

func ExampleReader_Read() {
	r, err := ocr.New(ocr.Config{
		Engine:  engine{},
		Locator: locator{},
		Now:     func() time.Time { return time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	photo := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	doc, err := r.Read(context.Background(), ocr.Request{Front: photo, SkipVisual: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(doc.Detected.Type, doc.Detected.Country, doc.MRZ.Valid)
	for _, name := range []string{ocr.FieldSurname, ocr.FieldGivenNames, ocr.FieldBirthDate, ocr.FieldExpiryDate} {
		f := doc.Fields[name]
		fmt.Printf("%s: %s (%s, %.2f)\n", name, f.Value, f.Source, f.Confidence)
	}
	// Output:
	// passport UTO true
	// surname: ERIKSSON (mrz, 0.96)
	// given_names: ANNA MARIA (mrz, 0.96)
	// birth_date: 1974-08-12 (mrz, 0.99)
	// expiry_date: 2012-04-15 (mrz, 0.99)
}
