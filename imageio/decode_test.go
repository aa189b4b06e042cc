package imageio

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gradient is a 40x20 image whose pixels are unique enough to track
// where each one moves under orientation.
func gradient() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 40; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 12), 128, 255})
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}))
	return b.Bytes()
}

// withOrientation splices an EXIF APP1 segment carrying orientation o
// right after the JPEG's SOI marker, in the given byte order.
func withOrientation(jpg []byte, o uint16, bo binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+12+4)
	if bo == binary.LittleEndian {
		copy(tiff, "II")
	} else {
		copy(tiff, "MM")
	}
	bo.PutUint16(tiff[2:], 42)
	bo.PutUint32(tiff[4:], 8)
	bo.PutUint16(tiff[8:], 1)
	bo.PutUint16(tiff[10:], 0x0112)
	bo.PutUint16(tiff[12:], 3)
	bo.PutUint32(tiff[14:], 1)
	bo.PutUint16(tiff[18:], o)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func TestDecodeFormats(t *testing.T) {
	src := gradient()
	for name, data := range map[string][]byte{"png": encodePNG(t, src), "jpeg": encodeJPEG(t, src)} {
		img, info, err := DecodeBytes(data, Limits{})
		require.NoError(t, err, name)
		assert.Equal(t, name, info.Format)
		assert.Equal(t, 40, info.Width)
		assert.Equal(t, 20, info.Height)
		assert.Equal(t, 1, info.Orientation)
		assert.Equal(t, image.Rect(0, 0, 40, 20), img.Rect)
	}
}

func TestDecodeAppliesEXIFOrientation(t *testing.T) {
	src := gradient()
	base := encodeJPEG(t, src)
	upright, _, err := DecodeBytes(base, Limits{})
	require.NoError(t, err)
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for o := 1; o <= 8; o++ {
			img, info, err := DecodeBytes(withOrientation(base, uint16(o), bo), Limits{})
			require.NoError(t, err)
			assert.Equal(t, o, info.Orientation)
			if o >= 5 {
				assert.Equal(t, image.Rect(0, 0, 20, 40), img.Rect, "orientation %d swaps width and height", o)
			} else {
				assert.Equal(t, image.Rect(0, 0, 40, 20), img.Rect)
			}
		}
	}
	// Orientation 6 means "rotate 90° clockwise to display": the top-left
	// source pixel ends at the top-right.
	img, _, err := DecodeBytes(withOrientation(base, 6, binary.BigEndian), Limits{})
	require.NoError(t, err)
	assert.Equal(t, upright.RGBAAt(0, 0), img.RGBAAt(19, 0))
	assert.Equal(t, upright.RGBAAt(39, 19), img.RGBAAt(0, 39))
}

func TestOrientRoundTrips(t *testing.T) {
	src := gradient()
	// 6 then 8 is the identity; so is 3 twice, 2 twice.
	assert.Equal(t, src.Pix, Orient(Orient(src, 6), 8).Pix)
	assert.Equal(t, src.Pix, Orient(Orient(src, 3), 3).Pix)
	assert.Equal(t, src.Pix, Orient(Orient(src, 2), 2).Pix)
	assert.Same(t, src, Orient(src, 0))
}

func TestDecodeRejectsBadInput(t *testing.T) {
	good := encodeJPEG(t, gradient())
	pngData := encodePNG(t, gradient())
	// A PNG header claiming 100000x100000 pixels: refused before decoding.
	bomb := append([]byte{}, pngData...)
	binary.BigEndian.PutUint32(bomb[16:], 100000)
	binary.BigEndian.PutUint32(bomb[20:], 100000)
	binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29]))

	cases := []struct {
		name string
		data []byte
		lim  Limits
		want error
	}{
		{"empty", nil, Limits{}, ErrEmpty},
		{"text", []byte("hello, this is not an image"), Limits{}, ErrUnsupported},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), Limits{}, ErrUnsupported},
		{"truncated jpeg", good[:len(good)/2], Limits{}, ErrCorrupt},
		{"jpeg header only", good[:4], Limits{}, ErrCorrupt},
		{"pixel bomb", bomb, Limits{}, ErrTooLarge},
		{"over pixel limit", pngData, Limits{MaxPixels: 100}, ErrTooLarge},
		{"over byte limit", pngData, Limits{MaxBytes: 10}, ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img, _, err := DecodeBytes(c.data, c.lim)
			assert.ErrorIs(t, err, c.want)
			assert.Nil(t, img)
		})
	}
}

func TestDecodeReaderLimit(t *testing.T) {
	big := strings.NewReader(strings.Repeat("x", 2000))
	_, _, err := Decode(big, Limits{MaxBytes: 1000})
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestMalformedEXIFIsIgnored(t *testing.T) {
	base := encodeJPEG(t, gradient())
	bad := withOrientation(base, 6, binary.BigEndian)
	// Corrupt the IFD offset: decode still succeeds, upright.
	idx := bytes.Index(bad, []byte("MM\x00\x2a"))
	require.Positive(t, idx)
	binary.BigEndian.PutUint32(bad[idx+4:], 0xFFFFFF)
	_, info, err := DecodeBytes(bad, Limits{})
	require.NoError(t, err)
	assert.Equal(t, 1, info.Orientation)
}

func FuzzDecodeBytes(f *testing.F) {
	f.Add(encodePNG(f, gradient()))
	f.Add(encodeJPEG(f, gradient()))
	f.Add(withOrientation(encodeJPEG(f, gradient()), 6, binary.LittleEndian))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, info, err := DecodeBytes(data, Limits{MaxPixels: 1 << 20})
		if err != nil {
			return
		}
		if img.Rect.Dx() != info.Width || img.Rect.Dy() != info.Height {
			t.Fatalf("info %dx%d, image %v", info.Width, info.Height, img.Rect)
		}
	})
}

func BenchmarkDecodeJPEG640x480(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	data := encodeJPEG(b, img)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := DecodeBytes(data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestIsNil(t *testing.T) {
	assert.True(t, IsNil(nil))
	assert.True(t, IsNil((*image.RGBA)(nil)))
	assert.True(t, IsNil((*image.Gray)(nil)))
	assert.False(t, IsNil(image.NewRGBA(image.Rect(0, 0, 0, 0))), "an empty image is an image")
	assert.False(t, IsNil(image.NewRGBA(image.Rect(0, 0, 2, 2))))
}
