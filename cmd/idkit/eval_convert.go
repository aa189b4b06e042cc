package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/ocr/barcode"
)

// idkit eval convert FORMAT SRC OUT turns the development sets' test-vector
// JSON (../shared/eval-dev: IdParser and aamvajs payloads, cheminfo and
// PassportEye MRZ vectors) into folders `idkit eval` reads. OUT must be
// outside the repository: the sets' licences forbid copying them into it.
//
//	aamva: labels.jsonl over the payload files (parsed directly), or with
//	       --render over PDF417 images of the payloads made with zxing-cpp's
//	       writer, so the barcode decoder is measured too.
//	mrz:   each vector whose lines make a TD1, TD2 or TD3 zone is printed on
//	       a specimen document and photographed (specimen.Realistic).

func runEvalConvert(ctx context.Context, env *cliEnv, args []string) error {
	fs := flag.NewFlagSet("eval convert", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	render := fs.Bool("render", false, "aamva: write PDF417 images of the payloads instead of pointing at the payload files")
	seed := fs.Uint64("seed", 1, "mrz: seed of the photographs")
	fs.Usage = func() {
		fmt.Fprintln(env.stderr, "usage: idkit eval convert aamva|mrz SRC_DIR OUT_DIR [--render] [--seed N]")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError(err.Error())
	}
	if len(pos) != 3 {
		return usageError("usage: idkit eval convert aamva|mrz SRC_DIR OUT_DIR")
	}
	src, out := pos[1], pos[2]
	if pos[0] != "aamva" && pos[0] != "mrz" {
		return usageError(fmt.Sprintf("unknown format %q: want aamva or mrz", pos[0]))
	}
	var n int
	if pos[0] == "aamva" {
		n, err = convertAAMVA(ctx, src, out, *render)
	} else {
		n, err = convertMRZ(ctx, src, out, *seed)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "wrote %d items to %s\n", n, filepath.Join(out, "labels.jsonl"))
	return nil
}

// labelWriter writes labels.jsonl through labels.jsonl.tmp, renamed only by
// commit: a failed or interrupted run leaves the previous labels.jsonl (or
// none) rather than a partial file later evals would score as complete.
type labelWriter struct {
	f         *os.File
	enc       *json.Encoder
	n         int
	path      string
	committed bool
}

func newLabelWriter(out string) (*labelWriter, error) {
	path := filepath.Join(out, "labels.jsonl")
	// The old labels go first: the images they describe are about to be
	// overwritten under the same names, and an interrupted run must not
	// leave them scored against labels of another run.
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, err
	}
	return &labelWriter{f: f, enc: json.NewEncoder(f), path: path}, nil
}

func (w *labelWriter) write(v any) error {
	w.n++
	return w.enc.Encode(v)
}

// commit publishes the labels as labels.jsonl.
func (w *labelWriter) commit() error {
	if err := w.f.Sync(); err != nil {
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(w.f.Name(), w.path); err != nil {
		return err
	}
	w.committed = true
	return nil
}

// close discards the labels unless they were committed.
func (w *labelWriter) close() {
	if !w.committed {
		w.f.Close()
		os.Remove(w.f.Name())
	}
}

// idparserCase is one record of idparser_expected.json.
type idparserCase struct {
	Test        string         `json:"test"`
	PayloadFile string         `json:"payload_file"`
	Exists      bool           `json:"exists"`
	Expected    map[string]any `json:"expected"`
}

// aamvajsCase is one record of aamvajs_expected.json.
type aamvajsCase struct {
	Source       string `json:"source_file"`
	Kind         string `json:"kind"`
	Data         string `json:"data_js_literal"`
	Expectations []struct {
		Field  string `json:"field"`
		Equals string `json:"equals"`
	} `json:"expectations"`
}

func convertAAMVA(ctx context.Context, src, out string, render bool) (int, error) {
	// Both sources are read before OUT is touched.
	var ip []idparserCase
	if err := readJSONFile(filepath.Join(src, "idparser_expected.json"), &ip); err != nil {
		return 0, err
	}
	var aj []aamvajsCase
	if err := readJSONFile(filepath.Join(src, "aamvajs_expected.json"), &aj); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, err
	}
	w, err := newLabelWriter(out)
	if err != nil {
		return 0, err
	}
	defer w.close()
	emit := func(name string, payload []byte, payloadPath string, fields map[string]string) error {
		if len(fields) == 0 {
			return nil
		}
		file := payloadPath
		if render || payloadPath == "" {
			if !render {
				file = filepath.Join(out, name+".txt")
				if err := os.WriteFile(file, payload, 0o644); err != nil {
					return err
				}
			} else {
				img, err := barcode.EncodePDF417(payload, 900)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				file = filepath.Join(out, name+".png")
				fh, err := os.Create(file)
				if err != nil {
					return err
				}
				if err := png.Encode(fh, img); err != nil {
					fh.Close()
					return err
				}
				if err := fh.Close(); err != nil {
					return err
				}
			}
			file = filepath.Base(file)
		}
		return w.write(map[string]any{"file": file, "fields": fields})
	}

	for i, c := range ip {
		if err := ctx.Err(); err != nil {
			return w.n, err
		}
		if !c.Exists || c.PayloadFile == "" {
			continue
		}
		path, err := filepath.Abs(filepath.Join(src, c.PayloadFile))
		if err != nil {
			return w.n, err
		}
		payload, err := os.ReadFile(path)
		if err != nil {
			return w.n, err
		}
		if err := emit(fmt.Sprintf("idparser_%02d", i), payload, path, idparserFields(c.Expected)); err != nil {
			return w.n, err
		}
	}
	for i, c := range aj {
		if err := ctx.Err(); err != nil {
			return w.n, err
		}
		if c.Kind != "pdf417_text" {
			continue // magnetic stripes are not barcodes
		}
		payload := []byte(unescapeJS(c.Data))
		fields := map[string]string{}
		for _, e := range c.Expectations {
			v := strings.Trim(e.Equals, `"'`)
			switch e.Field {
			case "res.state":
				fields["DAJ"] = v
			case "res.address":
				fields["DAG"] = v
			case "res.sex":
				fields["DBC"] = sexCode(v)
			case "res.name.first":
				fields["DAC"] = v
			case "res.name.last":
				fields["DCS"] = v
			case "res.birthday":
				fields["DBB"] = compactDate(v)
			case "res.expiration_date":
				fields["DBA"] = compactDate(v)
			case "res.postal_code":
				fields["DAK"] = canonicalPostal(v, "USA")
			case "res.id":
				fields["DAQ"] = alnum(v)
			}
		}
		if err := emit(fmt.Sprintf("aamvajs_%02d", i), payload, "", fields); err != nil {
			return w.n, err
		}
	}
	return w.n, w.commit()
}

// idparserFields maps IdParser's expected object onto element IDs in the
// canonical form of `idkit eval aamva`.
func idparserFields(e map[string]any) map[string]string {
	f := map[string]string{}
	str := func(v any) string {
		s, _ := v.(string)
		return strings.TrimSpace(s)
	}
	put := func(id, v string) {
		if v != "" {
			f[id] = v
		}
	}
	country := "USA"
	if a, ok := e["Address"].(map[string]any); ok {
		if strings.HasSuffix(str(a["Country"]), "Canada") {
			country = "CAN"
		}
		put("DAG", str(a["StreetLine1"]))
		put("DAI", str(a["City"]))
		put("DAJ", str(a["JurisdictionCode"]))
		put("DAK", canonicalPostal(str(a["PostalCode"]), country))
	}
	if n, ok := e["Name"].(map[string]any); ok {
		put("DAC", str(n["First"]))
		put("DAD", str(n["Middle"]))
		put("DCS", str(n["Last"]))
	}
	put("DBB", str(e["DateOfBirth"]))
	put("DBA", str(e["ExpirationDate"]))
	put("DBD", str(e["IssueDate"]))
	put("DDB", str(e["RevisionDate"]))
	put("DAQ", alnum(str(e["IdNumber"])))
	put("DBC", sexCode(strings.TrimPrefix(str(e["Sex"]), "Sex.")))
	put("DAU", idparserMeasure(str(e["Height"]), "in", "cm"))
	put("DAW", idparserMeasure(str(e["Weight"]), "lb", "kg"))
	put("DAY", colourCode(strings.TrimPrefix(str(e["EyeColor"]), "EyeColor."), eyeColours))
	put("DAZ", colourCode(strings.TrimPrefix(str(e["HairColor"]), "HairColor."), hairColours))
	return f
}

var reMeasure = regexp.MustCompile(`^\w+\.From(Imperial|Metric)\((\d+)(?:, *(\d+))?\)$`)

// idparserMeasure turns "Height.FromImperial(5, 6)" into "66 in" and
// "Height.FromMetric(170)" into "170 cm"; ranges and absent values give "".
func idparserMeasure(s, imperial, metric string) string {
	m := reMeasure.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	a, _ := strconv.Atoi(m[2])
	if m[1] == "Metric" {
		return fmt.Sprintf("%d %s", a, metric)
	}
	if m[3] != "" { // feet and inches
		b, _ := strconv.Atoi(m[3])
		a = a*12 + b
	}
	return fmt.Sprintf("%d %s", a, imperial)
}

var eyeColours = map[string]string{"Black": "BLK", "Blue": "BLU", "Brown": "BRO", "Gray": "GRY", "Green": "GRN",
	"Hazel": "HAZ", "Maroon": "MAR", "Pink": "PNK", "Dichromatic": "DIC", "Unknown": "UNK"}

var hairColours = map[string]string{"Bald": "BAL", "Black": "BLK", "Blond": "BLN", "Brown": "BRO", "Gray": "GRY",
	"Red": "RED", "Sandy": "SDY", "White": "WHI", "Unknown": "UNK"}

func colourCode(name string, table map[string]string) string { return table[name] }

func sexCode(s string) string {
	switch strings.ToUpper(s) {
	case "MALE", "M", "1":
		return "M"
	case "FEMALE", "F", "2":
		return "F"
	case "":
		return ""
	}
	return "X"
}

// compactDate turns YYYYMMDD into YYYY-MM-DD.
func compactDate(s string) string {
	if len(s) != 8 {
		return s
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}

// unescapeJS decodes the escapes of a JavaScript string literal's body.
func unescapeJS(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if i+4 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+5], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += 4
					continue
				}
			}
			b.WriteByte('u')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func readJSONFile(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// convertMRZ prints every well-shaped vector of the MRZ sets on a specimen
// and photographs it.
func convertMRZ(ctx context.Context, src, out string, seed uint64) (int, error) {
	// Both sources are read before OUT is touched.
	type mrzCase struct {
		MRZ []string `json:"mrz"`
	}
	names := []string{"cheminfo_mrz_vectors.json", "passporteye_doctest_vectors.json"}
	sets := make([][]mrzCase, len(names))
	for i, name := range names {
		if err := readJSONFile(filepath.Join(src, name), &sets[i]); err != nil {
			return 0, err
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, err
	}
	w, err := newLabelWriter(out)
	if err != nil {
		return 0, err
	}
	defer w.close()
	seen := map[string]bool{}
	for si, name := range names {
		for _, c := range sets[si] {
			if err := ctx.Err(); err != nil {
				return w.n, err
			}
			key := strings.Join(c.MRZ, "\n")
			layout, ok := zoneLayout(c.MRZ)
			if !ok || seen[key] {
				continue
			}
			seen[key] = true
			spec := specimen.Spec{Layout: layout, MRZ: c.MRZ, Seed: int64(w.n)}
			if r, err := mrz.Parse(c.MRZ, mrz.Options{}); err == nil {
				spec.Fields = r.Fields
			}
			spec.Fields.Format = ""
			file := fmt.Sprintf("vector_%03d.jpg", w.n)
			if err := writeSpecimenPhoto(filepath.Join(out, file), spec, specimen.Realistic(seed+uint64(w.n)), seed+uint64(w.n), false); err != nil {
				return w.n, err
			}
			if err := w.write(map[string]any{"file": file, "mrz": c.MRZ, "source": name}); err != nil {
				return w.n, err
			}
		}
	}
	return w.n, w.commit()
}

// zoneLayout returns the specimen layout that prints lines, if any.
func zoneLayout(lines []string) (specimen.Layout, bool) {
	if len(lines) == 0 {
		return "", false
	}
	for _, l := range lines {
		if !utf8.ValidString(l) || strings.Trim(l, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") != "" || len(l) != len(lines[0]) {
			return "", false
		}
	}
	switch {
	case len(lines) == 3 && len(lines[0]) == 30:
		return specimen.TD1, true
	case len(lines) == 2 && len(lines[0]) == 36:
		return specimen.TD2, true
	case len(lines) == 2 && len(lines[0]) == 44:
		return specimen.TD3, true
	}
	return "", false
}
