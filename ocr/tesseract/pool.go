package tesseract

import (
	"context"
	"sync"
)

// pool keeps up to size initialised clients of one spec.
type pool struct {
	spec   clientSpec
	initMu *sync.Mutex
	// slots holds one token per client that may exist; idle holds the
	// initialised clients not in use.
	slots  chan struct{}
	idle   chan *client
	mu     sync.Mutex
	closed bool
}

func newPool(size int, spec clientSpec) *pool {
	return &pool{spec: spec, slots: make(chan struct{}, size), idle: make(chan *client, size)}
}

// get returns an idle client, creates one when fewer than size exist, or
// waits for one to be returned.
func (p *pool) get(ctx context.Context) (*client, error) {
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	select {
	case c := <-p.idle:
		return c, nil
	case p.slots <- struct{}{}:
		c, err := p.spec.open(p.initMu)
		if err != nil {
			<-p.slots
			return nil, err
		}
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// put returns a client to the pool, or closes it when the pool is closed.
func (p *pool) put(c *client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.close()
		<-p.slots
		return
	}
	p.idle <- c
}

// discard gives back the slot of a client that was closed after a failure.
func (p *pool) discard() { <-p.slots }

func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	for {
		select {
		case c := <-p.idle:
			c.close()
			<-p.slots
		default:
			return
		}
	}
}
