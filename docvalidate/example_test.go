package docvalidate_test

import (
	"fmt"
	"time"

	"github.com/idkit-dev/idkit/docvalidate"
)

func ExampleValidator_Validate() {
	v, err := docvalidate.New(docvalidate.Config{
		Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
		// In production: Majority: age.Majority, or MajorityLookup built on
		// age.LookupMajority to give the reason for a guessed age.
		Majority: func(country, subdivision string) (int, bool) { return 18, true },
	})
	if err != nil {
		panic(err)
	}
	r := v.Validate(docvalidate.Input{
		MRZLines: []string{
			"P<FRAMUELLER<<ANNE<MARIE<<<<<<<<<<<<<<<<<<<<",
			"18AB123451FRA9003141F3102019<<<<<<<<<<<<<<<0",
		},
		Visual: &docvalidate.Fields{Surname: "Müller", GivenNames: "Anne-Marie", BirthDate: "1990-03-14", DocumentNumber: "18AB12345"},
	})
	fmt.Println("valid:", r.DocumentValid, "age:", *r.Document.Age)
	for _, name := range []string{"mrz_check_digit_birth_date", "expiry_date", "coherence_mrz_visual", "age_of_majority", "image_glare"} {
		c, _ := r.Check(name)
		fmt.Printf("%s: %s, %s\n", c.Name, c.Status, c.Reason)
	}
	// Output:
	// valid: true age: 36
	// mrz_check_digit_birth_date: pass, date of birth check digit 1 is right
	// expiry_date: pass, document valid until 2031-02-01 (reference date 2026-06-01)
	// coherence_mrz_visual: pass, the mrz and the visual agree on name, document number, date of birth
	// age_of_majority: pass, holder is 36, at least 18, the age of majority in FRA
	// image_glare: skip, the reader reported no image measures
}
