package facematch

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

// A template is an Embedding serialized for storage: the model identity
// travels with the vector, so a template is never compared with one from
// another model, and a CRC-32C checksum catches truncation and bit rot. The
// checksum is not a signature: keep templates in storage you trust (they
// are biometric data; encrypt them at rest).
//
// Layout, little-endian:
//
//	"IDKT"             magic
//	uint8              format version (1)
//	uint8 + bytes      model name
//	uint8 + bytes      model version
//	uint16             dimension d
//	d × float32        the vector (Embedding)
//	uint32             CRC-32C (Castagnoli) of everything before it

// TemplateMagic starts every template, so a file can be told from an image.
const TemplateMagic = templateMagic

const (
	templateMagic   = "IDKT"
	templateVersion = 1
	// maxTemplateDim bounds the dimension a template may declare, so a
	// corrupt length never allocates much.
	maxTemplateDim = 4096
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var (
	// ErrTemplate means template bytes are not a valid template: wrong
	// magic or format version, truncated, bad checksum, or a vector that is
	// not finite, or whose cosine-compared part is not unit length. A
	// comparison returns it too for an Embedding with such a vector (one
	// built by hand, or read from a store without ParseTemplate).
	ErrTemplate = errors.New("facematch: invalid template")
	// ErrModelMismatch is matched (errors.Is) by *ModelMismatchError.
	ErrModelMismatch = errors.New("facematch: embeddings come from different models")
)

// ModelMismatchError reports two embeddings from different models, which
// must never be compared.
type ModelMismatchError struct {
	Want, Got ModelID
}

func (e *ModelMismatchError) Error() string {
	msg := fmt.Sprintf("facematch: template from model %s cannot be compared with model %s", e.Got, e.Want)
	if knownNetwork(Network(e.Got.Name)) && e.Got.Name != e.Want.Name {
		msg += fmt.Sprintf(" (use network %q to compare it, or enroll again)", e.Got.Name)
	}
	return msg
}

// Is makes errors.Is(err, ErrModelMismatch) true.
func (e *ModelMismatchError) Is(target error) bool { return target == ErrModelMismatch }

// MarshalBinary encodes the embedding as a template.
func (e Embedding) MarshalBinary() ([]byte, error) {
	if len(e.Model.Name) > 255 || len(e.Model.Version) > 255 {
		return nil, errors.New("facematch: model name or version longer than 255 bytes")
	}
	if len(e.Vector) == 0 || len(e.Vector) > maxTemplateDim || e.Model.Dim != len(e.Vector) {
		return nil, fmt.Errorf("facematch: vector of %d values for model dimension %d", len(e.Vector), e.Model.Dim)
	}
	b := make([]byte, 0, 4+1+2+len(e.Model.Name)+len(e.Model.Version)+2+4*len(e.Vector)+4)
	b = append(b, templateMagic...)
	b = append(b, templateVersion)
	b = append(b, byte(len(e.Model.Name)))
	b = append(b, e.Model.Name...)
	b = append(b, byte(len(e.Model.Version)))
	b = append(b, e.Model.Version...)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(e.Vector)))
	for _, v := range e.Vector {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)), nil
}

// UnmarshalBinary decodes a template; errors wrap ErrTemplate.
func (e *Embedding) UnmarshalBinary(data []byte) error {
	got, err := ParseTemplate(data)
	if err != nil {
		return err
	}
	*e = got
	return nil
}

// MarshalText encodes the template in unpadded URL-safe base64, so an
// Embedding can sit in JSON as a string.
func (e Embedding) MarshalText() ([]byte, error) {
	b, err := e.MarshalBinary()
	if err != nil {
		return nil, err
	}
	out := make([]byte, base64.RawURLEncoding.EncodedLen(len(b)))
	base64.RawURLEncoding.Encode(out, b)
	return out, nil
}

// UnmarshalText decodes MarshalText's output.
func (e *Embedding) UnmarshalText(text []byte) error {
	b := make([]byte, base64.RawURLEncoding.DecodedLen(len(text)))
	n, err := base64.RawURLEncoding.Decode(b, text)
	if err != nil {
		return fmt.Errorf("%w: base64: %v", ErrTemplate, err)
	}
	return e.UnmarshalBinary(b[:n])
}

// ParseTemplate decodes template bytes made by MarshalBinary. Errors wrap
// ErrTemplate; it never panics on any input.
func ParseTemplate(data []byte) (Embedding, error) {
	bad := func(format string, args ...any) (Embedding, error) {
		return Embedding{}, fmt.Errorf("%w: "+format, append([]any{ErrTemplate}, args...)...)
	}
	if len(data) < len(templateMagic) || string(data[:len(templateMagic)]) != templateMagic {
		return bad("not a template (no %q header)", templateMagic)
	}
	if len(data) < len(templateMagic)+4 {
		return bad("truncated")
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	r := reader{b: body[len(templateMagic):]}
	if v := r.byte(); v != templateVersion {
		return bad("format version %d, want %d", v, templateVersion)
	}
	var e Embedding
	e.Model.Name = string(r.bytes(int(r.byte())))
	e.Model.Version = string(r.bytes(int(r.byte())))
	dim := int(r.uint16())
	if r.err || dim == 0 || dim > maxTemplateDim {
		return bad("truncated or bad dimension")
	}
	raw := r.bytes(4 * dim)
	if r.err || len(r.b) != 0 {
		return bad("length does not match dimension %d", dim)
	}
	if crc32.Checksum(body, castagnoli) != sum {
		return bad("checksum mismatch")
	}
	e.Model.Dim = dim
	e.Vector = make([]float32, dim)
	for i := range e.Vector {
		e.Vector[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	if err := checkVector(e); err != nil {
		return Embedding{}, err
	}
	return e, nil
}

// checkVector checks what a comparison assumes of an embedding's values:
// all finite, a fused vector of the fused length, and the part compared by
// cosine (a fused vector's MobileFaceNet part, a single network's whole
// vector) of unit length. Cosine clamps its result to ±1, so an infinite
// or overlong vector would otherwise compare as a perfect match. Errors
// wrap ErrTemplate.
func checkVector(e Embedding) error {
	for i, v := range e.Vector {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%w: value %d is not finite", ErrTemplate, i)
		}
	}
	unit := e.Vector
	if Network(e.Model.Name) == MobileFaceNetFaceAPI {
		if len(e.Vector) != fusedMFNDim+fusedFaceAPIDim {
			return fmt.Errorf("%w: a %s vector has %d values, not %d", ErrTemplate, MobileFaceNetFaceAPI, len(e.Vector), fusedMFNDim+fusedFaceAPIDim)
		}
		unit = e.Vector[:fusedMFNDim]
	}
	var ss float64
	for _, v := range unit {
		ss += float64(v) * float64(v)
	}
	if math.Abs(ss-1) > 1e-3 {
		return fmt.Errorf("%w: vector is not unit length (|v|² = %.4f)", ErrTemplate, ss)
	}
	return nil
}

// reader reads a byte slice front to back, remembering an overrun instead
// of panicking.
type reader struct {
	b   []byte
	err bool
}

func (r *reader) bytes(n int) []byte {
	if r.err || n > len(r.b) {
		r.err = true
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) byte() byte {
	b := r.bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *reader) uint16() uint16 {
	b := r.bytes(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

// Compatible returns nil when b can be compared with a, or a
// *ModelMismatchError.
func Compatible(a, b Embedding) error {
	if a.Model != b.Model || len(a.Vector) != len(b.Vector) {
		return &ModelMismatchError{Want: a.Model, Got: b.Model}
	}
	return nil
}

// Score is the raw score of two embeddings of one model, the value a
// Calibration maps to a similarity: their cosine, or for
// MobileFaceNetFaceAPI the fused score (FusedScore), which lives on the same
// −1..1 scale. It is NaN for vectors of another length than the model's.
// Check Compatible first.
func Score(a, b Embedding) float64 {
	if Network(a.Model.Name) == MobileFaceNetFaceAPI {
		return FusedScore(a.Vector, b.Vector)
	}
	if len(a.Vector) != len(b.Vector) {
		return math.NaN()
	}
	return Cosine(a.Vector, b.Vector)
}
