package docvalidate

import (
	"fmt"
	"time"

	"github.com/idkit-dev/idkit/mrz"
)

// Check names for dates.
const (
	CheckBirthDate      = "birth_date"
	CheckIssueDate      = "issue_date"
	CheckExpiryDate     = "expiry_date"
	CheckValidityPeriod = "validity_period"
)

// date reads the reconciled value of a date field: ok is false with a
// reason when it is missing or malformed.
func (z *zones) date(field string) (d mrz.Date, reason string, ok bool) {
	v := z.pick(field)
	if v == "" {
		return mrz.Date{}, "no " + label(field) + " was read", false
	}
	d, err := mrz.ParseISODate(v)
	if err != nil || !d.Valid() {
		return mrz.Date{}, fmt.Sprintf("the %s %q is not a date", label(field), v), false
	}
	return d, "", true
}

func (v *Validator) dateChecks(z *zones, today time.Time) []Check {
	iso := today.Format(time.DateOnly)
	birth := Check{Name: CheckBirthDate}
	b, why, bOK := z.date("birth_date")
	switch {
	case !bOK:
		birth.Status, birth.Reason = Skip, why
	case b.Time().After(today):
		birth.Status, birth.Reason = Fail, fmt.Sprintf("date of birth %s is after the reference date %s", b, iso)
	case ageOn(b, today) > v.cfg.MaxAge:
		birth.Status, birth.Reason = Fail, fmt.Sprintf("date of birth %s would make the holder older than %d", b, v.cfg.MaxAge)
	default:
		birth.Status, birth.Reason = Pass, fmt.Sprintf("date of birth %s is in the past and plausible", b)
		if b.Month == 0 || b.Day == 0 {
			birth.Reason += " (day or month unknown, as ICAO allows)"
		}
	}
	if bOK {
		birth.Details = map[string]any{"birth_date": b.String()}
	}

	expiry := Check{Name: CheckExpiryDate}
	e, why, eOK := z.date("expiry_date")
	switch {
	case !eOK:
		expiry.Status, expiry.Reason = Skip, why
	case lastDay(e).Before(today):
		expiry.Status = Fail
		expiry.Reason = fmt.Sprintf("document expired on %s (reference date %s)", e, iso)
	default:
		expiry.Status = Pass
		expiry.Reason = fmt.Sprintf("document valid until %s (reference date %s)", e, iso)
	}
	if eOK {
		days := int(lastDay(e).Sub(today).Hours() / 24)
		expiry.Details = map[string]any{"expiry_date": e.String(), "reference_date": iso, "days_left": days}
	}

	issue := Check{Name: CheckIssueDate}
	is, why, iOK := z.date("issue_date")
	switch {
	case !iOK:
		issue.Status, issue.Reason = Skip, why
	case is.Time().After(today):
		issue.Status, issue.Reason = Fail, fmt.Sprintf("issue date %s is after the reference date %s", is, iso)
	case bOK && is.Time().Before(b.Time()):
		issue.Status, issue.Reason = Fail, fmt.Sprintf("issue date %s is before the date of birth %s", is, b)
	default:
		issue.Status, issue.Reason = Pass, fmt.Sprintf("issue date %s is in the past", is)
	}

	period := Check{Name: CheckValidityPeriod}
	switch {
	case eOK && bOK && !lastDay(e).After(b.Time()):
		period.Status, period.Reason = Fail, fmt.Sprintf("expiry date %s is not after the date of birth %s", e, b)
	case eOK && !iOK && lastDay(e).Sub(today).Hours()/24/365.25 > float64(v.cfg.MaxValidityYears)+0.1:
		// Without an issue date (a passport's MRZ has none) the expiry
		// still bounds the validity: the document was issued by today.
		years := lastDay(e).Sub(today).Hours() / 24 / 365.25
		period.Status = Warn
		period.Reason = fmt.Sprintf("valid until %s, %.1f years after the reference date %s: longer than the usual %d from issue", e, years, iso, v.cfg.MaxValidityYears)
		period.Details = map[string]any{"years_left": round2(years)}
	case !iOK || !eOK:
		period.Status, period.Reason = Skip, "the issue and expiry dates are both needed"
		if eOK && bOK {
			period.Reason += "; the expiry date is after the date of birth"
		}
	case !e.Time().After(is.Time()):
		period.Status, period.Reason = Fail, fmt.Sprintf("expiry date %s is not after the issue date %s", e, is)
	default:
		years := e.Time().Sub(is.Time()).Hours() / 24 / 365.25
		period.Details = map[string]any{"years": round2(years)}
		if years > float64(v.cfg.MaxValidityYears)+0.1 {
			period.Status = Warn
			period.Reason = fmt.Sprintf("valid %.1f years from %s to %s, longer than the usual %d", years, is, e, v.cfg.MaxValidityYears)
		} else {
			period.Status = Pass
			period.Reason = fmt.Sprintf("valid %.1f years from %s to %s", years, is, e)
		}
	}
	return []Check{birth, issue, expiry, period}
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
