package barcode_test

import (
	"context"
	"errors"
	"fmt"
	"image"

	"github.com/idkit-dev/idkit/ocr/barcode"
)

func ExampleReader_ReadAAMVA() {
	payload := "@\n\x1e\rANSI 636014080102DL00410278ZC03190024DLDAQD1234562\nDCSSAMPLE\nDACJOHN\nDBB01311980\nDBA01312029\nDBC1\nDAJCA\r"
	img, err := barcode.EncodePDF417([]byte(payload), 600) // what a licence's back carries
	if err != nil {
		panic(err)
	}
	r := barcode.New(barcode.Config{})
	lic, b, err := r.ReadAAMVA(context.Background(), img)
	if err != nil {
		panic(err)
	}
	fmt.Println(b.Format, lic.Issuer.Name, lic.Name.Family, lic.DateOfBirth)

	_, _, err = r.ReadAAMVA(context.Background(), image.NewGray(image.Rect(0, 0, 300, 200)))
	fmt.Println(errors.Is(err, barcode.ErrNoBarcode))
	// Output:
	// pdf417 California SAMPLE 1980-01-31
	// true
}
