package imageio_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"

	"github.com/idkit-dev/idkit/imageio"
)

func ExampleDecodeBytes() {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 64, 48)))

	img, info, err := imageio.DecodeBytes(buf.Bytes(), imageio.Limits{})
	fmt.Println(info.Format, img.Bounds().Dx(), img.Bounds().Dy(), err)

	_, _, err = imageio.DecodeBytes(buf.Bytes(), imageio.Limits{MaxPixels: 1000})
	fmt.Println(errors.Is(err, imageio.ErrTooLarge))
	// Output:
	// png 64 48 <nil>
	// true
}
