package locate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"gocv.io/x/gocv"
)

// shrink never asks OpenCV for a zero side: cv::resize throws on it, and
// a C++ exception through cgo aborts the whole process.
func TestShrinkStrip(t *testing.T) {
	m := gocv.NewMatWithSize(21000, 32, gocv.MatTypeCV8UC1)
	defer m.Close()
	out, s := shrink(m, 640)
	defer out.Close()
	assert.Equal(t, 1, out.Cols())
	assert.Equal(t, 640, out.Rows())
	assert.InDelta(t, 21000.0/640, s, 1e-9)
}
