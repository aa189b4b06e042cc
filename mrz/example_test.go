package mrz_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/idkit-dev/idkit/mrz"
)

func ExampleParse() {
	r, err := mrz.Parse([]string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
	}, mrz.Options{Reference: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Format, r.DocumentType, r.IssuingState, r.Specimen)
	fmt.Println(r.Surname, "/", r.GivenNames)
	fmt.Println(r.DocumentNumber, r.BirthDate, r.Sex, r.ExpiryDate)
	var checks []string
	for _, c := range r.Checks {
		checks = append(checks, fmt.Sprintf("%s:%v", c.Field, c.OK))
	}
	fmt.Println(strings.Join(checks, " "))
	fmt.Println("valid:", r.Valid)
	// Output:
	// TD3 passport UTO true
	// ERIKSSON / ANNA MARIA
	// L898902C3 1974-08-12 F 2012-04-15
	// document_number:true birth_date:true expiry_date:true optional_data:true composite:true
	// valid: true
}

func ExampleRepair() {
	// OCR output: lower case, a filler lost, O for 0 and I for 1.
	r, err := mrz.Repair([]string{
		"p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<",
		"L8989O2C36UTO74O8122F12O4I59ZE184226B<<<<<10",
	}, mrz.Options{Reference: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Lines[1], r.Valid)
	for _, c := range r.Repairs {
		if c.Pos >= 0 {
			fmt.Printf("line %d col %d: %s -> %s (%s)\n", c.Line, c.Pos, c.From, c.To, c.Reason)
		} else {
			fmt.Printf("line %d: %s\n", c.Line, c.Reason)
		}
	}
	// Output:
	// L898902C36UTO7408122F1204159ZE184226B<<<<<10 true
	// line 0: case
	// line 0: length
	// line 1 col 15: O -> 0 (digit)
	// line 1 col 23: O -> 0 (digit)
	// line 1 col 25: I -> 1 (digit)
	// line 1 col 5: O -> 0 (check_digit)
}

func ExampleGenerate() {
	lines, err := mrz.Generate(mrz.Fields{
		Format:         mrz.TD1,
		DocumentCode:   "I",
		IssuingState:   "UTO",
		Surname:        "Eriksson",
		GivenNames:     "Anna María",
		DocumentNumber: "D23145890",
		Nationality:    "UTO",
		BirthDate:      mrz.NewDate(1974, time.August, 12),
		Sex:            mrz.Female,
		ExpiryDate:     mrz.NewDate(2032, time.April, 15),
	})
	if err != nil {
		panic(err)
	}
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// I<UTOD231458907<<<<<<<<<<<<<<<
	// 7408122F3204153UTO<<<<<<<<<<<2
	// ERIKSSON<<ANNA<MARIA<<<<<<<<<<
}
