package eval_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/eval"
)

// fakeClock advances by step on every reading.
type fakeClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

func ints(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestRunKeepsOrderAndBoundsWorkers(t *testing.T) {
	var running, peak atomic.Int32
	fn := func(_ context.Context, i int) (int, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		return i * 2, nil
	}
	out, stats, err := eval.Run(context.Background(), ints(200), fn, eval.RunConfig{Workers: 3})
	require.NoError(t, err)
	require.Len(t, out, 200)
	for i, o := range out {
		assert.Equal(t, i, o.Item)
		assert.Equal(t, 2*i, o.Result)
		assert.NoError(t, o.Err)
		assert.Empty(t, o.Code)
	}
	assert.LessOrEqual(t, peak.Load(), int32(3))
	assert.Equal(t, eval.RunStats{Workers: 3, Wall: stats.Wall, Completed: 200}, stats)
}

func TestRunDefaultsToOneWorker(t *testing.T) {
	var running, peak atomic.Int32
	fn := func(_ context.Context, i int) (int, error) {
		if n := running.Add(1); n > peak.Load() {
			peak.Store(n)
		}
		defer running.Add(-1)
		return i, nil
	}
	_, stats, err := eval.Run(context.Background(), ints(50), fn, eval.RunConfig{})
	require.NoError(t, err)
	assert.Equal(t, 1, stats.Workers)
	assert.Equal(t, int32(1), peak.Load())
}

var errNoFace = errors.New("no face found")

func TestRunCountsErrorsByCode(t *testing.T) {
	fn := func(_ context.Context, i int) (string, error) {
		switch i % 4 {
		case 1:
			return "", errNoFace // mapped by Classify
		case 2:
			return "", eval.CodeError("too_small", errors.New("face under 40 px"))
		case 3:
			return "", errors.New("decode: bad jpeg")
		}
		return "ok", nil
	}
	classify := func(err error) string {
		if errors.Is(err, errNoFace) {
			return "no_face"
		}
		return ""
	}
	out, _, err := eval.Run(context.Background(), ints(12), fn, eval.RunConfig{Workers: 2, Classify: classify})
	require.NoError(t, err, "per-item errors do not fail the run")
	require.Len(t, out, 12)
	assert.Equal(t, map[string]int{"no_face": 3, "too_small": 3, "error": 3}, eval.ErrorCounts(out))
	assert.Equal(t, "too_small", out[2].Code)
	assert.EqualError(t, out[2].Err, "too_small: face under 40 px")
}

func TestRunRecoversPanics(t *testing.T) {
	fn := func(_ context.Context, i int) (int, error) {
		if i == 1 {
			panic("index out of range") // a bug in a model wrapper must not end the run
		}
		return i, nil
	}
	out, _, err := eval.Run(context.Background(), ints(3), fn, eval.RunConfig{})
	require.NoError(t, err)
	require.Len(t, out, 3)
	assert.Equal(t, "panic", out[1].Code)
	assert.Contains(t, out[1].Err.Error(), "panic")
	assert.NoError(t, out[2].Err)
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int32
	fn := func(ctx context.Context, i int) (int, error) {
		calls.Add(1)
		if i == 5 {
			cancel()
			return 0, ctx.Err() // cut short: not an outcome
		}
		return i, nil
	}
	out, stats, err := eval.Run(ctx, ints(100), fn, eval.RunConfig{})
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, stats.Interrupted)
	require.Len(t, out, 5)
	for i, o := range out {
		assert.Equal(t, i, o.Item)
	}
	assert.Equal(t, int32(6), calls.Load(), "no item starts after cancellation")
}

func TestRunTimesWithInjectedClock(t *testing.T) {
	clock := &fakeClock{step: time.Millisecond}
	fn := func(_ context.Context, i int) (int, error) { return i, nil }
	out, stats, err := eval.Run(context.Background(), ints(3), fn, eval.RunConfig{Now: clock.Now})
	require.NoError(t, err)
	for _, o := range out {
		assert.Equal(t, time.Millisecond, o.Elapsed)
	}
	assert.Equal(t, 7*time.Millisecond, stats.Wall, "start, 2 readings per item, end")
}

func TestRunEmpty(t *testing.T) {
	out, stats, err := eval.Run(context.Background(), nil, func(context.Context, int) (int, error) { return 0, nil }, eval.RunConfig{Workers: 4})
	require.NoError(t, err)
	assert.Empty(t, out)
	assert.False(t, stats.Interrupted)
}

func TestProgress(t *testing.T) {
	var b strings.Builder
	clock := &fakeClock{step: time.Second}
	fn := func(_ context.Context, i int) (int, error) {
		if i == 2 {
			return 0, errors.New("x")
		}
		return i, nil
	}
	_, _, err := eval.Run(context.Background(), ints(4), fn, eval.RunConfig{Progress: &b, Label: "age", Now: clock.Now})
	require.NoError(t, err)
	out := b.String()
	frames := strings.Split(strings.TrimSuffix(out, "\n"), "\r")[1:]
	require.NotEmpty(t, frames)
	assert.True(t, strings.HasSuffix(out, "\n"), "the bar ends its line")
	assert.Contains(t, frames[0], "age [======>                 ] 1/4  25%")
	last := frames[len(frames)-1]
	assert.Contains(t, last, "age [========================] 4/4 100%")
	assert.Contains(t, last, "errors 1")
	assert.NotContains(t, last, "eta")
	assert.NotContains(t, out, "\x1b", "plain text, no escape codes")
}

func TestProgressThrottles(t *testing.T) {
	var b strings.Builder
	clock := &fakeClock{step: time.Millisecond} // far below the redraw interval
	p := eval.NewProgress(&b, "x", 1000, clock.Now)
	for i := 1; i <= 1000; i++ {
		p.Update(i, 0)
	}
	p.Finish(1000, 0)
	frames := strings.Count(b.String(), "\r")
	assert.Less(t, frames, 100, "redraws are throttled")
	assert.Greater(t, frames, 2)
}
