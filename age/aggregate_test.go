package age

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func frame(a float64, emb ...float32) Frame {
	return Frame{Estimate: est(a, 3, 0.8), Embedding: emb, Usable: true}
}

func TestAggregateRejectsOutliers(t *testing.T) {
	frames := []Frame{frame(30), frame(31), frame(29), frame(30.5), frame(52)}
	e, err := Aggregate(frames, AggregateOptions{})
	require.NoError(t, err)
	assert.InDelta(t, 30.1, e.Age, 0.2, "the 52 is an outlier")
	assert.Equal(t, 4, e.Views)
	assert.GreaterOrEqual(t, e.StdDev, 3.0)
	assert.Less(t, e.Low, e.Age)
	assert.Greater(t, e.High, e.Age)
}

func TestAggregateNeedsEnoughUsableFrames(t *testing.T) {
	frames := []Frame{frame(30), frame(31), {Estimate: est(29, 3, 0.8)}}
	_, err := Aggregate(frames, AggregateOptions{})
	assert.ErrorIs(t, err, ErrTooFewFrames)
	_, err = Aggregate(nil, AggregateOptions{})
	assert.ErrorIs(t, err, ErrTooFewFrames)
	// Three consistent frames and two wild ones, when four must agree.
	wild := []Frame{frame(20), frame(20.5), frame(21), frame(60), frame(70)}
	_, err = Aggregate(wild, AggregateOptions{MinFrames: 4})
	assert.ErrorIs(t, err, ErrTooFewFrames)
	e, err := Aggregate(wild, AggregateOptions{})
	require.NoError(t, err)
	assert.InDelta(t, 20.5, e.Age, 0.1)
}

func TestAggregateRequiresSamePerson(t *testing.T) {
	a := []float32{1, 0, 0}
	a2 := []float32{0.95, 0.3, 0}
	b := []float32{0, 1, 0}
	_, err := Aggregate([]Frame{frame(30, a...), frame(31, a2...), frame(30, a...)}, AggregateOptions{})
	require.NoError(t, err)
	_, err = Aggregate([]Frame{frame(30, a...), frame(31, b...), frame(30, a...)}, AggregateOptions{})
	assert.ErrorIs(t, err, ErrDifferentPeople)
	_, err = Aggregate([]Frame{frame(30, a...), frame(31, 1, 0), frame(30, a...)}, AggregateOptions{})
	assert.Error(t, err)
}
