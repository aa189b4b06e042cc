package paddle

import "testing"

// A character the recogniser places in the zero padding after a narrow
// crop lies beyond the crop's columns: the gap search must come back
// empty, not slice past the end (it panicked on "KINL1" drawn in a 65x82
// image).
func TestLongestRunClipsToTheCrop(t *testing.T) {
	blank := make([]bool, 100)
	for i := 40; i < 60; i++ {
		blank[i] = true
	}
	for _, c := range []struct{ lo, hi, want int }{
		{0, 100, 20},
		{50, 100, 10},
		{-10, 45, 5},
		{150, 200, 0}, // past the crop
		{99, 300, 0},
		{60, 40, 0}, // empty range
	} {
		if got := longestRun(blank, c.lo, c.hi); got != c.want {
			t.Errorf("longestRun(%d, %d) = %d, want %d", c.lo, c.hi, got, c.want)
		}
	}
}
