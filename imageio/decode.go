package imageio

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // registers the JPEG decoder with image.Decode
	_ "image/png"  // registers the PNG decoder
	"io"
	"os"
	"reflect"

	_ "golang.org/x/image/webp" // registers the WebP decoder
)

// Default limits. A 12-megapixel phone photo is about 6 MB and 12e6 pixels;
// the defaults leave room for 48-megapixel sensors.
const (
	DefaultMaxBytes  = 32 << 20
	DefaultMaxPixels = 50_000_000
)

// Limits bounds what Decode accepts. The zero value uses the defaults.
type Limits struct {
	// MaxBytes is the largest encoded size accepted; 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxPixels is the largest width*height accepted; 0 means DefaultMaxPixels.
	MaxPixels int64
}

func (l Limits) maxBytes() int64 {
	if l.MaxBytes > 0 {
		return l.MaxBytes
	}
	return DefaultMaxBytes
}

func (l Limits) maxPixels() int64 {
	if l.MaxPixels > 0 {
		return l.MaxPixels
	}
	return DefaultMaxPixels
}

var (
	// ErrEmpty means there were no bytes at all, or no image (see IsNil).
	ErrEmpty = errors.New("imageio: empty image")
	// ErrTooLarge means the encoded size or the pixel count is over the limit.
	ErrTooLarge = errors.New("imageio: image too large")
	// ErrUnsupported means the data is not JPEG, PNG or WebP.
	ErrUnsupported = errors.New("imageio: unsupported image format (want JPEG, PNG or WebP)")
	// ErrCorrupt means the data looks like a supported format but cannot be decoded.
	ErrCorrupt = errors.New("imageio: corrupt or truncated image")
)

// Info describes a decoded image.
type Info struct {
	Format string `json:"format"` // "jpeg", "png" or "webp"
	// Width and Height are those of the returned image, after orientation.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Orientation is the EXIF orientation tag (1–8) that was applied; 1 when absent.
	Orientation int `json:"orientation"`
	// Bytes is the encoded size.
	Bytes int64 `json:"bytes"`
}

// Decode reads an image from r within the limits, applies its EXIF
// orientation and returns it as *image.RGBA.
func Decode(r io.Reader, lim Limits) (*image.RGBA, Info, error) {
	max := lim.maxBytes()
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, Info{}, fmt.Errorf("imageio: read: %w", err)
	}
	if int64(len(data)) > max {
		return nil, Info{}, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return DecodeBytes(data, lim)
}

// ReadFile decodes the image file at path.
func ReadFile(path string, lim Limits) (*image.RGBA, Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Info{}, fmt.Errorf("imageio: %w", err)
	}
	defer f.Close()
	img, info, err := Decode(f, lim)
	if err != nil {
		return nil, info, fmt.Errorf("%s: %w", path, err)
	}
	return img, info, nil
}

// DecodeBytes is Decode on a byte slice.
func DecodeBytes(data []byte, lim Limits) (*image.RGBA, Info, error) {
	info := Info{Bytes: int64(len(data)), Orientation: 1}
	if len(data) == 0 {
		return nil, info, ErrEmpty
	}
	if int64(len(data)) > lim.maxBytes() {
		return nil, info, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), lim.maxBytes())
	}
	format := sniff(data)
	if format == "" {
		return nil, info, ErrUnsupported
	}
	info.Format = format
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, info, fmt.Errorf("%w: %s header: %v", ErrCorrupt, format, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, info, fmt.Errorf("%w: %dx%d", ErrCorrupt, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > lim.maxPixels() {
		return nil, info, fmt.Errorf("%w: %dx%d is %d pixels, limit %d", ErrTooLarge, cfg.Width, cfg.Height, px, lim.maxPixels())
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, info, fmt.Errorf("%w: %s: %v", ErrCorrupt, format, err)
	}
	if format == "jpeg" {
		info.Orientation = jpegOrientation(data)
	}
	rgba := Orient(ToRGBA(img), info.Orientation)
	info.Width, info.Height = rgba.Rect.Dx(), rgba.Rect.Dy()
	return rgba, info, nil
}

func sniff(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "jpeg"
	case len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n":
		return "png"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	}
	return ""
}

// IsNil reports whether img is nil or a nil pointer of a concrete image
// type, which would panic on Bounds. Functions that take an image.Image
// check it first, so that a caller's missing image is an ErrEmpty error
// rather than a panic; an image with empty bounds is an image without a
// face, not an error.
func IsNil(img image.Image) bool {
	if img == nil {
		return true
	}
	v := reflect.ValueOf(img)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// ToRGBA returns img as an *image.RGBA whose bounds start at (0,0), copying
// only when needed.
func ToRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}
