package aamva

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics, returns a result or an error (not both),
// and a result is consistent and serialisable.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		vaV10,
		strings.NewReplacer("\n", "", "\r", "", "\x1e", "").Replace(vaV10),
		strings.NewReplacer("\n", "|", "\r", "|").Replace(vaV10),
		build("636012", 8, testSubfile{"ID", []string{"DAQ1", "DCSX", "DBB19900131", "DAU175 CM", "DCGCAN"}}),
		build("636006", 1, testSubfile{"DL", []string{"DAACORTEZ,PABLO,LUIS,JR", "DAU511", "DBB19761007"}}),
		"@\n\x1e\rANSI 6360",
		"@\n\x1e\rANSI 636000100002DL",
		"%TXAUSTIN^DOE$JOHN^12345 SHERBOURNE ST^?;63601538774194=150819810101?#\" 78729      C               1505130BLKBLK?",
		"%FL^^^?;6=?#",
		"",
		"\xff\xfe@ANSI 636000090001DLDAQ\x00DCS\x1eDBB99",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse(data)
		if (r == nil) == (err == nil) {
			t.Fatalf("result %v and error %v", r, err)
		}
		if err != nil {
			return
		}
		if r.Valid != (len(r.Problems) == 0) {
			t.Fatal("Valid disagrees with Problems")
		}
		n := 0
		for _, sf := range r.Subfiles {
			n += len(sf.Elements)
			for _, e := range sf.Elements {
				if _, ok := r.Elements[e.ID]; !ok {
					t.Fatalf("element %s missing from the map", e.ID)
				}
			}
		}
		if n == 0 {
			t.Fatal("a result without elements")
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}
