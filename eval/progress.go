package eval

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Progress draws a one-line progress bar, redrawn in place with a carriage
// return:
//
//	age [=========>          ]  276/552  50%  12.3/s  eta 22s  errors 3
//
// It redraws at most every 100 ms so that a fast run does not flood a slow
// terminal. It is not safe for concurrent use; Run serializes its calls.
type Progress struct {
	w     io.Writer
	label string
	total int
	now   func() time.Time
	start time.Time
	last  time.Time
	width int // characters between the brackets
	prev  int // length of the previous line, to blank its leftovers
}

// progressEvery is the minimum time between two redraws.
const progressEvery = 100 * time.Millisecond

// NewProgress starts a bar for total items; now is the clock (nil means
// time.Now).
func NewProgress(w io.Writer, label string, total int, now func() time.Time) *Progress {
	if now == nil {
		now = time.Now
	}
	t := now()
	return &Progress{w: w, label: label, total: total, now: now, start: t, width: 24}
}

// Update records done items, failed of which failed, and redraws when due.
func (p *Progress) Update(done, failed int) {
	t := p.now()
	if !p.last.IsZero() && t.Sub(p.last) < progressEvery && done < p.total {
		return
	}
	p.last = t
	p.draw(done, failed, t)
}

// Finish draws the final state and ends the line.
func (p *Progress) Finish(done, failed int) {
	p.draw(done, failed, p.now())
	io.WriteString(p.w, "\n")
}

func (p *Progress) draw(done, failed int, t time.Time) {
	frac := 1.0
	if p.total > 0 {
		frac = float64(done) / float64(p.total)
	}
	fill := int(frac * float64(p.width))
	bar := strings.Repeat("=", fill)
	if fill < p.width {
		bar += ">" + strings.Repeat(" ", p.width-fill-1)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\r%s [%s] %*d/%d %3.0f%%", p.label, bar, len(fmt.Sprint(p.total)), done, p.total, frac*100)
	if el := t.Sub(p.start).Seconds(); el > 0 && done > 0 {
		rate := float64(done) / el
		fmt.Fprintf(&b, "  %.1f/s", rate)
		if done < p.total {
			eta := time.Duration(float64(p.total-done) / rate * float64(time.Second))
			fmt.Fprintf(&b, "  eta %s", eta.Round(time.Second))
		}
	}
	if failed > 0 {
		fmt.Fprintf(&b, "  errors %d", failed)
	}
	line := b.String()
	if pad := p.prev - len(line); pad > 0 {
		line += strings.Repeat(" ", pad) // blank what a longer line left
	}
	p.prev = len(b.String())
	io.WriteString(p.w, line)
}

// IsTerminal reports whether f is a character device such as a terminal,
// where a progress bar belongs; a file or a pipe gets none by default.
func IsTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
