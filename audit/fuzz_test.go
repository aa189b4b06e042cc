package audit_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/idkit-dev/idkit/audit"
)

// FuzzVerifyExport feeds arbitrary exports to the verifier: it must never
// panic, and must never call a chain intact unless every record's hash
// matches its content.
func FuzzVerifyExport(f *testing.F) {
	s, _ := chain(f, 3)
	var buf bytes.Buffer
	audit.Export(f.Context(), s, "acme", &buf)
	f.Add(buf.Bytes())
	f.Add([]byte(`{"seq":1,"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"x"}`))
	f.Add([]byte("null\n[]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := audit.VerifyExport(bytes.NewReader(data), "acme", nil)
		if err != nil || !rep.OK() {
			return
		}
		// An intact verdict must survive re-hashing every record.
		var recs int64
		dec := newDecoder(data)
		for {
			var r audit.Record
			if dec.Decode(&r) != nil {
				break
			}
			recs++
			if audit.HashOf(r) != r.Hash {
				t.Fatalf("record %d judged intact but its hash does not match", r.Seq)
			}
		}
		if recs != rep.Records {
			t.Fatalf("report counts %d records, decoded %d", rep.Records, recs)
		}
	})
}

func newDecoder(data []byte) *json.Decoder { return json.NewDecoder(bytes.NewReader(data)) }
