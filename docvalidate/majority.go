package docvalidate

import (
	"fmt"
	"time"
)

// CheckMajority is the check of the holder's age.
const CheckMajority = "age_of_majority"

// majorityCheck compares the holder's age with the age of majority of the
// issuing country (or US state, Canadian province), or with
// Config.MinimumAge. ageDay is the date the age was counted on.
func (v *Validator) majorityCheck(z *zones, ageDay time.Time) Check {
	c := Check{Name: CheckMajority}
	s := &z.summary
	if s.Age == nil {
		c.Status, c.Reason = Skip, "the date of birth is missing, malformed or in the future"
		return c
	}
	var need int
	// source says where need comes from, after ", " in the reason.
	var source string
	// upTo is the highest age of majority a guessed need could stand for.
	var upTo int
	switch {
	case v.cfg.MinimumAge > 0:
		need, source = v.cfg.MinimumAge, "the minimum age configured"
	case v.majority == nil:
		c.Status, c.Reason = Skip, "no age-of-majority table is configured (Config.Majority or MajorityLookup)"
		return c
	case s.Country == "" || s.Specimen:
		need, source = v.majority("", "").Years, "the most common age of majority (issuing country unknown)"
		if s.Specimen {
			source = "the most common age of majority (specimen of Utopia)"
		}
	default:
		m := v.majority(s.Country, s.Subdivision)
		need = m.Years
		if !m.Known {
			upTo = m.Max
		}
		where := s.Country
		if s.Subdivision != "" && (s.Country == "USA" || s.Country == "CAN") {
			where = s.Subdivision + ", " + s.Country
		}
		switch {
		case m.Known:
			source = "the age of majority in " + where
		case m.Reason != "":
			// The table's own words: "the United States set the age of
			// majority by state, and the document names no state; 18, the
			// most common age of majority, is a guess".
			source = fmt.Sprintf("a guessed age of majority (%s)", m.Reason)
		default:
			source = fmt.Sprintf("the most common age of majority, a guess (the table knows no age for %s)", where)
		}
	}
	if need <= 0 {
		c.Status, c.Reason = Skip, "the age-of-majority table gave no age"
		return c
	}
	s.MajorityAge = &need
	c.Details = map[string]any{"age": *s.Age, "required_age": need, "country": s.Country, "subdivision": s.Subdivision,
		"reference_date": z.today.Format(time.DateOnly), "age_date": ageDay.Format(time.DateOnly)}
	switch {
	case *s.Age >= need && *s.Age < upTo:
		c.Status, c.Reason = Warn, fmt.Sprintf("holder is %d, at least %d, %s, but under %d, the highest age of majority it could stand for: the holder may be a minor where they live",
			*s.Age, need, source, upTo)
		c.Details["highest_required_age"] = upTo
	case *s.Age >= need:
		c.Status, c.Reason = Pass, fmt.Sprintf("holder is %d, at least %d, %s", *s.Age, need, source)
	case v.cfg.AllowMinors:
		c.Status, c.Reason = Warn, fmt.Sprintf("holder is a minor: %d, under %d, %s", *s.Age, need, source)
	default:
		c.Status, c.Reason = Fail, fmt.Sprintf("holder is a minor: %d, under %d, %s", *s.Age, need, source)
	}
	return c
}
