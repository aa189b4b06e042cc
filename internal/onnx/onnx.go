// Package onnx runs ONNX models on ONNX Runtime's CPU provider for the
// perception packages (face, age, liveness, facematch, ocr).
//
// The runtime is a C library loaded once per process. Sessions are created
// once per model and shared by goroutines: ONNX Runtime's Run is safe for
// concurrent use, and one session per model keeps memory flat. Each session
// uses one intra-op thread with spinning off, because on small machines
// ORT's spinning workers fight the Go scheduler (MODELS.md measured a face
// pipeline at 26.7 ms with 1 thread and 60.8 ms with 2); parallelism comes
// from running several requests at once instead.
package onnx

import (
	"errors"
	"fmt"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/idkit-dev/idkit/models"
)

// ortEnv holds the process-wide ONNX Runtime environment. It is package
// state because the C library's environment is process-wide: a second
// initialisation with another library path cannot work.
var ortEnv struct {
	mu   sync.Mutex
	path string // the runtime loaded, "" until one is
}

// Init loads the ONNX Runtime shared library at libPath and initialises the
// environment. Calling it again with the same path is a no-op; with another
// path it is an error.
func Init(libPath string) error {
	ortEnv.mu.Lock()
	defer ortEnv.mu.Unlock()
	if ortEnv.path != "" {
		if ortEnv.path != libPath {
			return fmt.Errorf("onnx: runtime already loaded from %s, cannot load %s", ortEnv.path, libPath)
		}
		return nil
	}
	ort.SetSharedLibraryPath(libPath)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		// Nothing was loaded: a later call may try another path.
		return fmt.Errorf("onnx: load runtime %s: %w", libPath, err)
	}
	ortEnv.path = libPath
	return nil
}

// InitFromCache initialises the runtime from the models cache's
// "onnxruntime" asset.
func InitFromCache(c *models.Cache) error {
	p, err := c.Path("onnxruntime")
	if err != nil {
		return err
	}
	return Init(p)
}

// Tensor is a dense float32 tensor in row-major order.
type Tensor struct {
	Shape []int64
	Data  []float32
}

// NewTensor returns a zeroed tensor of the given shape.
func NewTensor(shape ...int64) Tensor {
	n := int64(1)
	for _, d := range shape {
		n *= d
	}
	return Tensor{Shape: shape, Data: make([]float32, n)}
}

// Options configures a Session.
type Options struct {
	// IntraOpThreads is the number of threads one Run may use; 0 means 1.
	IntraOpThreads int
}

// ErrShape is returned when an input tensor's data does not fit its shape.
var ErrShape = errors.New("onnx: tensor data does not match its shape")

// ErrClosed is returned by Run after Close.
var ErrClosed = errors.New("onnx: session closed")

// Session is a loaded model. It is safe for concurrent use.
type Session struct {
	name    string
	inputs  []string
	outputs []string
	// mu lets Runs proceed together and makes Close wait for them: ONNX
	// Runtime must not free a session a Run is using.
	mu sync.RWMutex
	s  *ort.DynamicAdvancedSession
}

// Load initialises the runtime from c and loads the model asset called name.
func Load(c *models.Cache, name string, opts Options) (*Session, error) {
	if err := InitFromCache(c); err != nil {
		return nil, err
	}
	p, err := c.Path(name)
	if err != nil {
		return nil, err
	}
	return NewSession(p, opts)
}

// NewSession loads the model file at path. Init must have succeeded.
func NewSession(path string, opts Options) (*Session, error) {
	if !ort.IsInitialized() {
		return nil, errors.New("onnx: runtime not initialised (call onnx.Init)")
	}
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return nil, fmt.Errorf("onnx: read %s: %w", path, err)
	}
	inNames := make([]string, len(ins))
	for i, in := range ins {
		inNames[i] = in.Name
	}
	outNames := make([]string, len(outs))
	for i, o := range outs {
		outNames[i] = o.Name
	}
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("onnx: session options: %w", err)
	}
	defer so.Destroy()
	threads := opts.IntraOpThreads
	if threads <= 0 {
		threads = 1
	}
	for _, set := range []error{
		so.SetIntraOpNumThreads(threads),
		so.SetInterOpNumThreads(1),
		so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"),
		so.AddSessionConfigEntry("session.inter_op.allow_spinning", "0"),
	} {
		if set != nil {
			return nil, fmt.Errorf("onnx: session options: %w", set)
		}
	}
	s, err := ort.NewDynamicAdvancedSession(path, inNames, outNames, so)
	if err != nil {
		return nil, fmt.Errorf("onnx: load %s: %w", path, err)
	}
	return &Session{name: path, inputs: inNames, outputs: outNames, s: s}, nil
}

// Inputs returns the model's input names in the order Run expects them.
func (s *Session) Inputs() []string { return append([]string(nil), s.inputs...) }

// Outputs returns the model's output names in the order Run returns them.
func (s *Session) Outputs() []string { return append([]string(nil), s.outputs...) }

// Run runs the model on inputs (in Inputs() order) and returns every output
// (in Outputs() order) copied into Go memory.
func (s *Session) Run(inputs ...Tensor) ([]Tensor, error) {
	if len(inputs) != len(s.inputs) {
		return nil, fmt.Errorf("onnx: %s takes %d inputs, got %d", s.name, len(s.inputs), len(inputs))
	}
	in := make([]ort.Value, len(inputs))
	defer func() {
		for _, v := range in {
			if v != nil {
				v.Destroy()
			}
		}
	}()
	for i, t := range inputs {
		n := int64(1)
		for _, d := range t.Shape {
			n *= d
		}
		if n != int64(len(t.Data)) || len(t.Shape) == 0 {
			return nil, fmt.Errorf("%w: input %s shape %v needs %d values, has %d", ErrShape, s.inputs[i], t.Shape, n, len(t.Data))
		}
		v, err := ort.NewTensor(ort.NewShape(t.Shape...), t.Data)
		if err != nil {
			return nil, fmt.Errorf("onnx: input %s: %w", s.inputs[i], err)
		}
		in[i] = v
	}
	out := make([]ort.Value, len(s.outputs))
	s.mu.RLock()
	if s.s == nil {
		s.mu.RUnlock()
		return nil, fmt.Errorf("%w: %s", ErrClosed, s.name)
	}
	var err error
	withoutDenormals(func() { err = s.s.Run(in, out) })
	s.mu.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("onnx: run %s: %w", s.name, err)
	}
	defer func() {
		for _, v := range out {
			if v != nil {
				v.Destroy()
			}
		}
	}()
	res := make([]Tensor, len(out))
	for i, v := range out {
		t, ok := v.(*ort.Tensor[float32])
		if !ok {
			return nil, fmt.Errorf("onnx: output %s of %s is %T, want float32 tensor", s.outputs[i], s.name, v)
		}
		shape := t.GetShape()
		res[i] = Tensor{Shape: append([]int64(nil), shape...), Data: append([]float32(nil), t.GetData()...)}
	}
	return res, nil
}

// Close releases the session.
func (s *Session) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.s == nil {
		return nil
	}
	err := s.s.Destroy()
	s.s = nil
	return err
}
