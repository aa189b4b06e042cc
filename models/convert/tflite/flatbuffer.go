package tflite

import (
	"encoding/binary"
	"fmt"
	"math"
)

// table is one flatbuffer table: the file's bytes and the table's offset.
// Every accessor checks its offsets against the file, so a truncated or
// hostile file yields an error, never a panic or an out-of-range read.
type table struct {
	b   []byte
	pos int
	err *error
}

func (t table) fail(format string, args ...any) {
	if *t.err == nil {
		*t.err = fmt.Errorf("%w: "+format, append([]any{ErrModel}, args...)...)
	}
}

func (t table) in(off, n int) bool {
	if off < 0 || n < 0 || off > len(t.b)-n {
		t.fail("offset %d+%d outside the %d-byte file", off, n, len(t.b))
		return false
	}
	return true
}

func (t table) u32(off int) uint32 {
	if !t.in(off, 4) {
		return 0
	}
	return binary.LittleEndian.Uint32(t.b[off:])
}

func (t table) u16(off int) uint16 {
	if !t.in(off, 2) {
		return 0
	}
	return binary.LittleEndian.Uint16(t.b[off:])
}

// field returns the absolute offset of field id, or 0 when it is absent
// (the schema default then applies).
func (t table) field(id int) int {
	if *t.err != nil {
		return 0
	}
	vt := t.pos - int(int32(t.u32(t.pos)))
	vlen := int(t.u16(vt))
	if *t.err != nil || 4+2*id+2 > vlen {
		return 0
	}
	off := int(t.u16(vt + 4 + 2*id))
	if off == 0 {
		return 0
	}
	return t.pos + off
}

func (t table) int32Field(id int, def int32) int32 {
	if o := t.field(id); o != 0 {
		return int32(t.u32(o))
	}
	return def
}

func (t table) uint32Field(id int, def uint32) uint32 {
	if o := t.field(id); o != 0 {
		return t.u32(o)
	}
	return def
}

func (t table) byteField(id int, def byte) byte {
	if o := t.field(id); o != 0 && t.in(o, 1) {
		return t.b[o]
	}
	return def
}

func (t table) float32Field(id int, def float32) float32 {
	if o := t.field(id); o != 0 {
		return math.Float32frombits(t.u32(o))
	}
	return def
}

// deref follows the unsigned offset stored at off.
func (t table) deref(off int) int {
	return off + int(t.u32(off))
}

// vector returns the start and length of the vector in field id.
func (t table) vector(id, elemSize int) (start, n int) {
	o := t.field(id)
	if o == 0 {
		return 0, 0
	}
	v := t.deref(o)
	n = int(t.u32(v))
	if *t.err != nil || !t.in(v+4, n*elemSize) {
		return 0, 0
	}
	return v + 4, n
}

// tables returns the tables of a vector of tables.
func (t table) tables(id int) []table {
	start, n := t.vector(id, 4)
	out := make([]table, 0, n)
	for i := range n {
		p := t.deref(start + 4*i)
		if *t.err != nil || !t.in(p, 4) {
			return nil
		}
		out = append(out, table{b: t.b, pos: p, err: t.err})
	}
	return out
}

func (t table) sub(id int) (table, bool) {
	o := t.field(id)
	if o == 0 {
		return table{}, false
	}
	p := t.deref(o)
	if *t.err != nil || !t.in(p, 4) {
		return table{}, false
	}
	return table{b: t.b, pos: p, err: t.err}, true
}

func (t table) int32s(id int) []int32 {
	start, n := t.vector(id, 4)
	out := make([]int32, n)
	for i := range n {
		out[i] = int32(t.u32(start + 4*i))
	}
	return out
}

func (t table) bytes(id int) []byte {
	start, n := t.vector(id, 1)
	if n == 0 {
		return nil
	}
	return t.b[start : start+n]
}

func (t table) str(id int) string { return string(t.bytes(id)) }
