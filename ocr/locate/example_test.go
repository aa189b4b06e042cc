package locate_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/idkit-dev/idkit/ocr/locate"
)

func ExampleLocator_Document() {
	// A light card on a dark desk.
	photo := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 800; x++ {
			c := color.RGBA{60, 50, 40, 255}
			if x >= 150 && x < 650 && y >= 140 && y < 460 {
				c = color.RGBA{235, 235, 225, 255}
			}
			photo.SetRGBA(x, y, c)
		}
	}
	l := locate.New(locate.Config{})
	q, ok, err := l.Document(context.Background(), photo)
	if err != nil {
		panic(err)
	}
	fmt.Println(ok)
	for _, p := range q {
		// Corners to the nearest 10 pixels.
		fmt.Println(math.Round(p.X/10)*10, math.Round(p.Y/10)*10)
	}
	// Output:
	// true
	// 150 140
	// 650 140
	// 650 460
	// 150 460
}
