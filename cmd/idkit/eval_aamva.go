package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/idkit-dev/idkit/aamva"
	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/ocr/barcode"
)

// idkit eval aamva DIR: decode each labelled licence barcode and compare
// its fields with the labels (labels.jsonl: {"file":…,"fields":{"DBB":…}}).
//
// A file with an image extension is a photo or scan of the barcode: the
// PDF417 is found and decoded with zxing-cpp, then parsed. Any other file is
// a raw payload (what a barcode scanner outputs) and is parsed directly, so
// the same command measures the parser alone on text payloads.
//
// Fields are compared in a canonical form, because a label set and a parser
// may write the same value differently (01311980 or 1980-01-31):
//
//	DBA DBB DBD DDB (dates)  YYYY-MM-DD
//	DBC (sex)                M, F or X
//	DCS DAC DAD (names)      family, first and middle name as parsed
//	                         (also from the version-1 DAA/DAB forms)
//	DCT (given names)        first and middle names together
//	DAQ (licence number)     letters and digits only (no dashes, spaces)
//	DAK (postal code)        US (all digits): the 5-digit ZIP; Canada: A1A1A1
//	DAU (height)             "70 in" or "178 cm", in the card's unit
//	DAW (weight)             "150 lb" or "68 kg", in the card's unit
//	DCG (country)            ISO 3166-1 alpha-3
//	DAG DAI DAJ (address)    street, city, state as parsed (also from the
//	                         version-1 DAL/DAN/DAO residence forms)
//	DAY DAZ (eyes, hair)     the D20 colour codes (BRO, BLU, BLN...)
//	any other element        its value, surrounding spaces removed
//
// `idkit eval convert aamva` writes labels in this form.

func runEvalAAMVA(ctx context.Context, env *cliEnv, args []string) error {
	ef := newEvalFlags(env, "aamva", `barcode images or raw payloads + labels.jsonl ({"file":…,"fields":{"DBB":…}})`)
	dir, err := ef.parse(args)
	if err != nil {
		return err
	}
	set, err := eval.ReadAAMVALabels(dir)
	if err != nil {
		return err
	}
	br := barcode.New(barcode.Config{})
	out, stats, runErr := evalRun(ctx, env, ef, set.Items,
		func(ctx context.Context, it eval.AAMVAItem) (eval.AAMVAPrediction, error) {
			res, err := readAAMVAFile(ctx, br, it.Path)
			if err != nil {
				return eval.AAMVAPrediction{}, err
			}
			return eval.AAMVAPrediction{Fields: canonicalAAMVA(res)}, nil
		}, classifyAAMVAError)
	return ef.finish(env, eval.SummarizeAAMVA(set, out, stats), set.Missing, runErr)
}

// readAAMVAFile decodes a barcode image or parses a raw payload.
func readAAMVAFile(ctx context.Context, br *barcode.Reader, path string) (*aamva.Result, error) {
	if imageExts[strings.ToLower(filepath.Ext(path))] {
		img, _, err := imageio.ReadFile(path, imageio.Limits{})
		if err != nil {
			return nil, err
		}
		res, _, err := br.ReadAAMVA(ctx, img)
		return res, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return aamva.Parse(data)
}

func classifyAAMVAError(err error) string {
	switch {
	case errors.Is(err, barcode.ErrNoBarcode):
		return "no_barcode"
	case errors.Is(err, barcode.ErrNotAAMVA), errors.Is(err, aamva.ErrNotAAMVA):
		return "not_aamva"
	case errors.Is(err, aamva.ErrHeader), errors.Is(err, aamva.ErrTruncated):
		return "bad_header"
	case errors.Is(err, aamva.ErrTooLarge):
		return "too_large"
	}
	return classifyImageError(err)
}

// canonicalAAMVA returns the parsed fields by element ID in the canonical
// form described above.
func canonicalAAMVA(res *aamva.Result) map[string]string {
	f := make(map[string]string, len(res.Elements)+8)
	for id, v := range res.Elements {
		f[id] = strings.TrimSpace(v)
	}
	set := func(id, v string) {
		if v != "" {
			f[id] = v
		} else {
			delete(f, id)
		}
	}
	set("DBB", res.DateOfBirth.String())
	set("DBA", res.ExpiryDate.String())
	set("DBD", res.IssueDate.String())
	set("DDB", res.RevisionDate.String())
	set("DCT", res.Name.Given)
	set("DAQ", alnum(res.DocumentNumber))
	set("DBC", string(res.Sex))
	set("DCS", res.Name.Family)
	set("DAC", res.Name.First)
	set("DAD", res.Name.Middle)
	set("DCG", res.Country)
	set("DAG", strings.TrimSpace(res.Address.Street1))
	set("DAI", res.Address.City)
	set("DAJ", res.Address.Jurisdiction)
	set("DAY", res.EyeColor)
	set("DAZ", res.HairColor)
	set("DAK", canonicalPostal(res.Address.PostalCode, res.Address.Country))
	if h := res.Height; h != nil {
		if h.Unit == "cm" {
			set("DAU", fmt.Sprintf("%d cm", h.Centimeters))
		} else {
			set("DAU", fmt.Sprintf("%d in", h.Inches))
		}
	}
	if w := res.Weight; w != nil && (w.Pounds > 0 || w.Kilograms > 0) {
		if w.Unit == "kg" {
			set("DAW", fmt.Sprintf("%d kg", w.Kilograms))
		} else {
			set("DAW", fmt.Sprintf("%d lb", w.Pounds))
		}
	}
	return f
}

// canonicalPostal keeps the part of a postal code every label set agrees
// on: the 5-digit ZIP in the United States (or wherever the code is all
// digits, as US codes are and Canadian ones are not), the six characters
// without the space in Canada.
func canonicalPostal(code, country string) string {
	c := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(code))
	if len(c) >= 5 && (country == "USA" || strings.Trim(c, "0123456789") == "") {
		return c[:5]
	}
	return c
}

// alnum keeps the letters and digits of s, upper-cased.
func alnum(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
