package convert

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
)

// WeightGroup is one entry of a TF.js weights manifest: the shard files
// (concatenated in order) and the weights stored in them, in order.
type WeightGroup struct {
	Paths   []string     `json:"paths"`
	Weights []WeightSpec `json:"weights"`
}

// WeightSpec describes one weight of a TF.js weights manifest.
type WeightSpec struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
	// DType is the decoded type: "float32" or "int32".
	DType string `json:"dtype"`
	// Quantization, when set, says how the stored values encode DType.
	Quantization *Quantization `json:"quantization,omitempty"`
}

// Quantization is TF.js's weight quantization: uint8 or uint16 values q
// stand for q*Scale+Min; float16 values are IEEE half floats.
type Quantization struct {
	DType string  `json:"dtype"`
	Scale float64 `json:"scale"`
	Min   float64 `json:"min"`
}

// ErrWeights is wrapped by every error about a malformed weights manifest or
// shard, so callers can tell bad input from I/O failures.
var ErrWeights = errors.New("convert: bad TF.js weights")

// maxWeightElems bounds one weight's element count (1 Gi values) so a
// hostile manifest cannot make the decoder allocate without limit.
const maxWeightElems = 1 << 30

// ParseWeightsManifest decodes and checks a TF.js weights manifest
// (model-weights_manifest.json).
func ParseWeightsManifest(data []byte) ([]WeightGroup, error) {
	var groups []WeightGroup
	if err := json.Unmarshal(data, &groups); err != nil {
		return nil, fmt.Errorf("%w: manifest: %v", ErrWeights, err)
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("%w: manifest lists no weight groups", ErrWeights)
	}
	seen := map[string]bool{}
	for gi, g := range groups {
		if len(g.Paths) == 0 {
			return nil, fmt.Errorf("%w: group %d has no shard paths", ErrWeights, gi)
		}
		for _, w := range g.Weights {
			if w.Name == "" {
				return nil, fmt.Errorf("%w: group %d has a weight without a name", ErrWeights, gi)
			}
			if seen[w.Name] {
				return nil, fmt.Errorf("%w: weight %q listed twice", ErrWeights, w.Name)
			}
			seen[w.Name] = true
			if _, err := w.elems(); err != nil {
				return nil, err
			}
			if _, err := w.elemBytes(); err != nil {
				return nil, err
			}
		}
	}
	return groups, nil
}

func (w WeightSpec) elems() (int, error) {
	n := 1
	for _, d := range w.Shape {
		if d < 0 {
			return 0, fmt.Errorf("%w: weight %q has negative dimension in %v", ErrWeights, w.Name, w.Shape)
		}
		if d != 0 && n > maxWeightElems/d {
			return 0, fmt.Errorf("%w: weight %q shape %v is too large", ErrWeights, w.Name, w.Shape)
		}
		n *= d
	}
	return n, nil
}

// elemBytes is the stored size of one element.
func (w WeightSpec) elemBytes() (int, error) {
	switch w.DType {
	case "float32", "int32":
	default:
		return 0, fmt.Errorf("%w: weight %q has unsupported dtype %q", ErrWeights, w.Name, w.DType)
	}
	if w.Quantization == nil {
		return 4, nil
	}
	switch q := w.Quantization; q.DType {
	case "uint8":
		return 1, nil
	case "uint16":
		return 2, nil
	case "float16":
		if w.DType != "float32" {
			return 0, fmt.Errorf("%w: weight %q: float16 quantization of %s", ErrWeights, w.Name, w.DType)
		}
		return 2, nil
	default:
		return 0, fmt.Errorf("%w: weight %q has unsupported quantization %q", ErrWeights, w.Name, q.DType)
	}
}

// Tensor is a decoded weight. Float holds float32 weights, Int int32 ones.
type Tensor struct {
	Name  string
	Shape []int64
	Float []float32
	Int   []int32
}

// Len is the number of elements the shape holds.
func (t *Tensor) Len() int {
	n := 1
	for _, d := range t.Shape {
		n *= int(d)
	}
	return n
}

// Weights is a decoded TF.js weights manifest. It remembers which weights
// were asked for, so an architecture can check it used all of them. It is
// not safe for concurrent use.
type Weights struct {
	order  []string
	byName map[string]*Tensor
	used   map[string]bool
}

// DecodeWeights decodes every weight of groups, reading each group's shards
// with open (called with the manifest's path strings, in order), exactly as
// TF.js's io.decodeWeights does.
func DecodeWeights(groups []WeightGroup, open func(path string) ([]byte, error)) (*Weights, error) {
	w := &Weights{byName: map[string]*Tensor{}, used: map[string]bool{}}
	for gi, g := range groups {
		var buf []byte
		for _, p := range g.Paths {
			b, err := open(p)
			if err != nil {
				return nil, fmt.Errorf("convert: weights shard %q: %w", p, err)
			}
			buf = append(buf, b...)
		}
		off := 0
		for _, spec := range g.Weights {
			n, err := spec.elems()
			if err != nil {
				return nil, err
			}
			eb, err := spec.elemBytes()
			if err != nil {
				return nil, err
			}
			if n > (len(buf)-off)/eb {
				return nil, fmt.Errorf("%w: group %d: weight %q needs %d bytes at offset %d, shards hold %d", ErrWeights, gi, spec.Name, n*eb, off, len(buf))
			}
			t, err := decodeWeight(spec, buf[off:off+n*eb], n)
			if err != nil {
				return nil, err
			}
			off += n * eb
			if _, dup := w.byName[spec.Name]; dup {
				return nil, fmt.Errorf("%w: weight %q listed twice", ErrWeights, spec.Name)
			}
			w.byName[spec.Name] = t
			w.order = append(w.order, spec.Name)
		}
		if off != len(buf) {
			return nil, fmt.Errorf("%w: group %d: shards hold %d bytes, weights use %d", ErrWeights, gi, len(buf), off)
		}
	}
	return w, nil
}

func decodeWeight(spec WeightSpec, b []byte, n int) (*Tensor, error) {
	t := &Tensor{Name: spec.Name, Shape: make([]int64, len(spec.Shape))}
	for i, d := range spec.Shape {
		t.Shape[i] = int64(d)
	}
	q := spec.Quantization
	// dequant mirrors TF.js (`q*scale+min` in float64, then stored into a
	// Float32Array). The explicit float64 conversion stops the compiler from
	// fusing the multiply-add, which would round differently from JavaScript.
	dequant := func(v float64) float64 { return float64(v*q.Scale) + q.Min }
	switch {
	case spec.DType == "float32" && q == nil:
		t.Float = make([]float32, n)
		for i := range t.Float {
			t.Float[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case spec.DType == "int32" && q == nil:
		t.Int = make([]int32, n)
		for i := range t.Int {
			t.Int[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case q.DType == "float16":
		t.Float = make([]float32, n)
		for i := range t.Float {
			t.Float[i] = halfToFloat(binary.LittleEndian.Uint16(b[2*i:]))
		}
	default: // uint8 or uint16, checked by elemBytes
		if math.IsNaN(q.Scale) || math.IsInf(q.Scale, 0) || math.IsNaN(q.Min) || math.IsInf(q.Min, 0) {
			return nil, fmt.Errorf("%w: weight %q has a non-finite quantization scale or min", ErrWeights, spec.Name)
		}
		at := func(i int) float64 { return float64(b[i]) }
		if q.DType == "uint16" {
			at = func(i int) float64 { return float64(binary.LittleEndian.Uint16(b[2*i:])) }
		}
		if spec.DType == "int32" {
			t.Int = make([]int32, n)
			for i := range t.Int {
				t.Int[i] = int32(jsRound(dequant(at(i))))
			}
		} else {
			t.Float = make([]float32, n)
			for i := range t.Float {
				t.Float[i] = float32(dequant(at(i)))
			}
		}
	}
	return t, nil
}

// jsRound is JavaScript's Math.round: halves round towards +Inf.
func jsRound(v float64) float64 {
	r := math.Floor(v)
	if v-r >= 0.5 {
		r++
	}
	return r
}

// halfToFloat converts IEEE 754 binary16 bits to float32 exactly.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp != 0: // normal
		return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
	case frac == 0: // signed zero
		return math.Float32frombits(sign)
	default: // subnormal: value = frac * 2^-24, exact in float32
		v := float32(frac) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
}

// Names returns the weight names in manifest order.
func (w *Weights) Names() []string { return append([]string(nil), w.order...) }

// Get returns the float32 weight called name and marks it used. When shape
// is given the weight must have exactly that shape.
func (w *Weights) Get(name string, shape ...int64) (*Tensor, error) {
	t, ok := w.byName[name]
	if !ok {
		return nil, fmt.Errorf("%w: no weight named %q", ErrWeights, name)
	}
	if t.Float == nil {
		return nil, fmt.Errorf("%w: weight %q is not float32", ErrWeights, name)
	}
	if shape != nil && !equalShape(t.Shape, shape) {
		return nil, fmt.Errorf("%w: weight %q has shape %v, want %v", ErrWeights, name, t.Shape, shape)
	}
	w.used[name] = true
	return t, nil
}

// Unused returns the names of weights never asked for, sorted. A converted
// architecture that leaves weights unused is wired differently from the
// original.
func (w *Weights) Unused() []string {
	var out []string
	for _, n := range w.order {
		if !w.used[n] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func equalShape(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
