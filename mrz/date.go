package mrz

import (
	"encoding/json"
	"fmt"
	"time"
)

// mrzEpoch is the first year an MRZ could carry: ICAO Doc 9303 dates from
// 1980, so an expiry date before it cannot be the right century.
const mrzEpoch = 1980

// Date is a calendar date read from or written to an MRZ. Month and Day are
// zero when the MRZ marks them unknown (<<), as ICAO allows for birth dates.
// It marshals to JSON as an ISO 8601 string ("1974-08-12", "1974-08" or
// "1974" when parts are unknown), or null when no valid date was read.
type Date struct {
	Year  int
	Month time.Month
	Day   int
	// Raw is the text as it stood in the MRZ (YYMMDD); empty for dates made
	// by NewDate.
	Raw string
}

// NewDate returns the date y-m-d; Generate uses only its last two year
// digits.
func NewDate(y int, m time.Month, d int) Date { return Date{Year: y, Month: m, Day: d} }

// DateOf returns the calendar date of t.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// Valid reports whether the date holds a year and a month and day that are
// either unknown or form a real calendar date.
func (d Date) Valid() bool {
	if d.Year <= 0 || d.Month < 0 || d.Month > 12 || d.Day < 0 {
		return false
	}
	if d.Month == 0 {
		return d.Day == 0
	}
	if d.Day == 0 {
		return true
	}
	return d.Day <= daysIn(d.Year, d.Month)
}

// Time returns midnight UTC of the date, unknown parts taken as 1.
func (d Date) Time() time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, m, day, 0, 0, 0, 0, time.UTC)
}

// String returns the ISO 8601 form, or "" when the date is not valid.
func (d Date) String() string {
	switch {
	case !d.Valid():
		return ""
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalJSON writes the ISO form or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if !d.Valid() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads the ISO forms MarshalJSON writes.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil || *s == "" {
		*d = Date{}
		return nil
	}
	parsed, err := ParseISODate(*s)
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// ParseISODate reads YYYY-MM-DD, YYYY-MM or YYYY.
func ParseISODate(s string) (Date, error) {
	var d Date
	var err error
	switch len(s) {
	case 10:
		var t time.Time
		t, err = time.Parse("2006-01-02", s)
		d = DateOf(t)
	case 7:
		var t time.Time
		t, err = time.Parse("2006-01", s)
		d = Date{Year: t.Year(), Month: t.Month()}
	case 4:
		var t time.Time
		t, err = time.Parse("2006", s)
		d = Date{Year: t.Year()}
	default:
		err = fmt.Errorf("mrz: date %q is not YYYY-MM-DD", s)
	}
	if err != nil {
		return Date{}, fmt.Errorf("mrz: date %q: %w", s, err)
	}
	return d, nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dateKind selects the century rule.
type dateKind int

const (
	pastDate   dateKind = iota // birth and issue dates: on or before the reference
	expiryDate                 // at most the horizon after the reference
)

// parseYYMMDD reads six MRZ characters. ok is false when they are not
// digits (or << for an unknown month or day), not a calendar date, or an
// expiry date no century fits; the returned Date then carries only Raw.
func parseYYMMDD(raw string, kind dateKind, opts Options) (Date, bool) {
	d, why := readYYMMDD(raw, kind, opts)
	return d, why == ""
}

// readYYMMDD is parseYYMMDD with the reason a date is refused ("" when
// it is not).
func readYYMMDD(raw string, kind dateKind, opts Options) (Date, string) {
	d := Date{Raw: raw}
	notDate := fmt.Sprintf("%q is not a date (YYMMDD)", raw)
	if len(raw) != 6 {
		return d, notDate
	}
	yy, ok := twoDigits(raw[0:2])
	if !ok {
		return d, notDate
	}
	mm, okM := twoDigits(raw[2:4])
	dd, okD := twoDigits(raw[4:6])
	if !okM {
		if raw[2:4] != "<<" {
			return d, notDate
		}
		mm = 0
	}
	if !okD {
		if raw[4:6] != "<<" {
			return d, notDate
		}
		dd = 0
	}
	if okM && mm == 0 || okD && dd == 0 || mm == 0 && dd != 0 {
		return d, notDate // 00 is no month or day; only << marks one unknown
	}
	y, fits := century(yy, time.Month(mm), dd, kind, opts)
	if !fits {
		return d, fmt.Sprintf("%q is an expiry date more than %d years after the reference date %s, or before %d when MRZs began",
			raw, opts.ExpiryHorizonYears, DateOf(opts.Reference), mrzEpoch)
	}
	d.Year = y
	d.Month = time.Month(mm)
	d.Day = dd
	if !d.Valid() {
		return Date{Raw: raw}, notDate
	}
	return d, ""
}

// century places a two-digit year. Candidates are the reference's century
// and its neighbours; the latest candidate not after the limit wins. The
// reference is its calendar date in its own location, as Result.Expired
// takes it, so a birth date of that day is not in the future because the
// reference is earlier in the day than UTC midnight.
//
// fits is false for an expiry date whose latest candidate within the
// horizon is before mrzEpoch: the next century would be beyond the
// horizon (700501 read in 2025 is neither 1970 nor 2070), and reading it
// there, as this did, let a garbled or forged expiry pass for decades.
func century(yy int, m time.Month, d int, kind dateKind, opts Options) (year int, fits bool) {
	ry, rm, rd := opts.Reference.Date()
	ref := time.Date(ry, rm, rd, 0, 0, 0, 0, time.UTC)
	limit := ref
	if kind == expiryDate {
		limit = ref.AddDate(opts.ExpiryHorizonYears, 0, 0)
	}
	base := ref.Year()/100*100 + yy
	best := base - 100
	for _, y := range []int{base - 100, base, base + 100} {
		if !NewDate(y, m, d).Time().After(limit) {
			best = y
		}
	}
	return best, kind != expiryDate || best >= mrzEpoch
}

func twoDigits(s string) (int, bool) {
	if len(s) != 2 || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// yymmdd writes a date for Generate; unknown month or day become <<.
func (d Date) yymmdd() (string, error) {
	if d.Year <= 0 && d.Month == 0 && d.Day == 0 {
		return "<<<<<<", nil
	}
	if !d.Valid() {
		return "", fmt.Errorf("%w: date %04d-%02d-%02d is not a calendar date", ErrField, d.Year, int(d.Month), d.Day)
	}
	s := fmt.Sprintf("%02d", d.Year%100)
	if d.Month == 0 {
		return s + "<<<<", nil
	}
	s += fmt.Sprintf("%02d", int(d.Month))
	if d.Day == 0 {
		return s + "<<", nil
	}
	return s + fmt.Sprintf("%02d", d.Day), nil
}
