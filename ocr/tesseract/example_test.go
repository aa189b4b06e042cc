package tesseract_test

import (
	"context"
	"fmt"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/ocr/tesseract"
)

// Reading the two lines of a passport's MRZ from a crop of the zone. It
// needs the OCR-B model (idkit models install), so it is compiled, not run.
func ExampleEngine_ReadLines() {
	e, err := tesseract.New(tesseract.Config{Models: models.Open("")})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer e.Close()
	img, _, err := imageio.ReadFile("mrz.png", imageio.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	lines, err := e.ReadLines(context.Background(), img, ocr.Options{Mode: ocr.ModeMRZ})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range lines {
		fmt.Printf("%s (%.2f)\n", l.Text, l.Confidence)
	}
}
