package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Outcome is what happened to one item.
type Outcome[I, R any] struct {
	Item    I
	Result  R             // valid when Err is nil
	Err     error         // the per-item failure, if any
	Code    string        // Err's code for counting ("no_face", "error"); "" when Err is nil
	Elapsed time.Duration // time spent in the per-item function
}

// RunConfig configures Run. The zero value runs on one worker, silently.
type RunConfig struct {
	// Workers is how many items run at once; 0 means 1. ONNX sessions run
	// with one intra-op thread, so N workers use about N cores.
	Workers int
	// Progress receives a progress bar redrawn in place (\r); nil draws
	// none. Pass os.Stderr only when it is a terminal (see IsTerminal) or
	// when the user forced it.
	Progress io.Writer
	// Label names the run on the progress bar, e.g. "age".
	Label string
	// Classify maps a per-item error to a short code such as "no_face". A
	// nil Classify, or one returning "", falls back to the Code of an
	// *ItemError in the chain, then to "error".
	Classify func(error) string
	// Now is the clock used for timing; nil means time.Now.
	Now func() time.Time
}

// RunStats describes a run as a whole.
type RunStats struct {
	Workers     int
	Wall        time.Duration // from start to the last item
	Completed   int           // items that ran, with or without error
	Interrupted bool          // the context ended before every item ran
}

// Run calls fn for every item on a bounded pool of workers and returns the
// outcomes of the items that ran, in item order. A per-item error is kept
// in its Outcome and does not stop the run; a panic in fn becomes an error
// with code "panic". When ctx ends, no new item starts, items whose fn
// returned the context's error are dropped as not run, and Run returns
// what completed with ctx.Err().
func Run[I, R any](ctx context.Context, items []I, fn func(context.Context, I) (R, error), cfg RunConfig) ([]Outcome[I, R], RunStats, error) {
	workers := max(cfg.Workers, 1)
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	var bar *Progress
	if cfg.Progress != nil {
		bar = NewProgress(cfg.Progress, cfg.Label, len(items), now)
	}
	start := now()

	outcomes := make([]Outcome[I, R], len(items))
	done := make([]bool, len(items))
	var mu sync.Mutex // guards the progress counts
	completed, failed := 0, 0

	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(items), 1)) {
		wg.Go(func() {
			for i := range jobs {
				if ctx.Err() != nil {
					continue // drain without running
				}
				o := runOne(ctx, items[i], fn, cfg.Classify, now)
				if o.Err != nil && ctx.Err() != nil && errors.Is(o.Err, ctx.Err()) {
					continue // cut short by cancellation: not a real outcome
				}
				outcomes[i], done[i] = o, true
				mu.Lock()
				completed++
				if o.Err != nil {
					failed++
				}
				if bar != nil {
					bar.Update(completed, failed)
				}
				mu.Unlock()
			}
		})
	}
feed:
	for i := range items {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if bar != nil {
		bar.Finish(completed, failed)
	}

	out := outcomes[:0]
	for i := range outcomes {
		if done[i] {
			out = append(out, outcomes[i])
		}
	}
	stats := RunStats{Workers: workers, Wall: now().Sub(start), Completed: len(out), Interrupted: len(out) < len(items)}
	if stats.Interrupted {
		return out, stats, ctx.Err()
	}
	return out, stats, nil
}

func runOne[I, R any](ctx context.Context, item I, fn func(context.Context, I) (R, error), classify func(error) string, now func() time.Time) (o Outcome[I, R]) {
	o.Item = item
	t0 := now()
	defer func() {
		o.Elapsed = now().Sub(t0)
		if p := recover(); p != nil {
			o.Err = fmt.Errorf("eval: panic in per-item function: %v", p)
			o.Code = "panic"
		}
	}()
	o.Result, o.Err = fn(ctx, item)
	if o.Err != nil {
		o.Code = errorCode(o.Err, classify)
	}
	return o
}

func errorCode(err error, classify func(error) string) string {
	if classify != nil {
		if c := classify(err); c != "" {
			return c
		}
	}
	var ie *ItemError
	if errors.As(err, &ie) && ie.Code != "" {
		return ie.Code
	}
	return "error"
}

// ErrorCounts counts the failed outcomes by code.
func ErrorCounts[I, R any](outcomes []Outcome[I, R]) map[string]int {
	counts := map[string]int{}
	for _, o := range outcomes {
		if o.Err != nil {
			counts[o.Code]++
		}
	}
	return counts
}
