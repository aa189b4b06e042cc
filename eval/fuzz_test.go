package eval

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// The parsers take files written by hand or by adapters: any bytes must
// give items that respect the format's rules, or an error, never a panic.

func FuzzParseAgeCSV(f *testing.F) {
	f.Add([]byte("file,age\na.jpg,10\n"))
	f.Add([]byte("\ufeffFile , AGE,x\n\"a,b.jpg\",17.5,\n"))
	f.Add([]byte("file,age\na\"b,3\n"))
	f.Add([]byte("age\n3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := parseAgeCSV(bytes.NewReader(data), "labels.csv", "d")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "labels.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, it := range items {
			if it.File == "" || it.Line < 2 || math.IsNaN(it.Age) || it.Age < 0 || it.Age > maxAge {
				t.Fatalf("bad item %+v", it)
			}
		}
	})
}

func FuzzParsePairsCSV(f *testing.F) {
	f.Add([]byte("a,b,same,fold\nx.jpg,y.jpg,1,3\n"))
	f.Add([]byte("same,b,a\nno,y,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := parsePairsCSV(bytes.NewReader(data), "pairs.csv", "d")
		if err != nil {
			return
		}
		for _, it := range items {
			if it.A == "" || it.B == "" || it.Line < 2 {
				t.Fatalf("bad item %+v", it)
			}
		}
	})
}

func FuzzParseLivenessCSV(f *testing.F) {
	f.Add([]byte("file,label\nx.jpg,live\ny.jpg,spoof\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := parseLivenessCSV(bytes.NewReader(data), "labels.csv", "d")
		if err != nil {
			return
		}
		for _, it := range items {
			if it.File == "" {
				t.Fatalf("bad item %+v", it)
			}
		}
	})
}

func FuzzParseMRZJSONL(f *testing.F) {
	f.Add([]byte(`{"file":"a.png","mrz":["P<UTOERIKSSON<<ANNA","L898902C36UTO"]}` + "\n\n"))
	f.Add([]byte(`{"file":"a.png","mrz":"x"}`))
	f.Add([]byte("null\n[]\n{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := parseMRZJSONL(bytes.NewReader(data), "labels.jsonl", "d")
		if err != nil {
			return
		}
		for _, it := range items {
			if strings.TrimSpace(it.File) == "" || len(it.Lines) < 1 || len(it.Lines) > 3 || it.Line < 1 {
				t.Fatalf("bad item %+v", it)
			}
		}
	})
}

func FuzzParseAAMVAJSONL(f *testing.F) {
	f.Add([]byte(`{"file":"a.txt","fields":{"DCS":"SMITH","DAU":70}}`))
	f.Add([]byte(`{"file":"a.txt","fields":{"DCS":null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := parseAAMVAJSONL(bytes.NewReader(data), "labels.jsonl", "d")
		if err != nil {
			return
		}
		for _, it := range items {
			if strings.TrimSpace(it.File) == "" || len(it.Fields) == 0 {
				t.Fatalf("bad item %+v", it)
			}
		}
	})
}
