package paddle_test

import (
	"context"
	"fmt"
	"image"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/ocr/paddle"
)

func Example() {
	// Two printed lines on a white page.
	f, _ := opentype.Parse(goregular.TTF)
	face, _ := opentype.NewFace(f, &opentype.FaceOptions{Size: 30, DPI: 72})
	page := image.NewRGBA(image.Rect(0, 0, 480, 140))
	draw.Draw(page, page.Rect, image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: page, Src: image.Black, Face: face}
	for i, s := range []string{"Surname / Nom", "DUPONT"} {
		d.Dot = fixed.P(40, 55+50*i)
		d.DrawString(s)
	}

	eng, err := paddle.New(paddle.Config{Models: models.Open(modeltest.Dir())})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer eng.Close()
	lines, err := eng.ReadLines(context.Background(), page, ocr.Options{Mode: ocr.ModeText, Layout: ocr.LayoutSparse})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range lines {
		fmt.Println(l.Text)
	}
	// Output:
	// Surname / Nom
	// DUPONT
}
