package aamva

import (
	"strings"
	"time"
)

// MagstripeFileType is Header.FileType for a magnetic stripe.
const MagstripeFileType = "magstripe"

// parseMagstripe reads the three tracks of the AAMVA magnetic stripe
// (Card Design Standard, Annex F in the editions that still carry it):
//
//	track 1 %SSCITY^FAMILY$FIRST$MIDDLE^ADDRESS^?
//	track 2 ;IIN(6)NUMBER(≤13)=YYMM CCYYMMDD[OVERFLOW]=?
//	track 3 #V S POSTAL(11) CLASS(2) RESTR(10) ENDORSE(4) SEX HEIGHT(3) WEIGHT(3) HAIR(3) EYES(3)...?
//
// Readers concatenate the tracks with or without line breaks. The fields
// land in the same Result as a bar code; the tracks are kept as the
// elements "T1", "T2", "T3".
func parseMagstripe(s string) (*Result, error) {
	r := &Result{Elements: map[string]string{}}
	r.Header.FileType = MagstripeFileType
	tracks := map[string]string{}
	rest := s
	for _, sentinel := range []struct{ start, key string }{{"%", "T1"}, {";", "T2"}, {"#", "T3"}} {
		i := strings.Index(rest, sentinel.start)
		if i < 0 {
			continue
		}
		body := rest[i+1:]
		if j := strings.IndexByte(body, '?'); j >= 0 {
			rest = body[j+1:]
			body = body[:j]
		} else {
			rest = ""
		}
		tracks[sentinel.key] = body
	}
	t1, ok := tracks["T1"]
	if !ok || len(t1) < 3 {
		return nil, ErrNotAAMVA
	}
	sf := Subfile{Type: "MS"}
	for _, k := range []string{"T1", "T2", "T3"} {
		if v, ok := tracks[k]; ok {
			sf.Elements = append(sf.Elements, Element{ID: k, Value: v})
			r.Elements[k] = v
		}
	}
	r.Subfiles = []Subfile{sf}
	r.DocumentType = "DL"

	// Track 1: state, city, name, address separated by carets.
	parts := strings.Split(t1[2:], "^")
	r.Address.Jurisdiction = t1[:2]
	field := func(i int) string {
		if i < len(parts) {
			return strings.TrimSpace(parts[i])
		}
		return ""
	}
	r.Address.City = field(0)
	names := strings.Split(field(1), "$")
	r.Name.Family = strings.TrimSpace(names[0])
	if len(names) > 1 {
		r.Name.First = strings.TrimSpace(names[1])
	}
	if len(names) > 2 {
		r.Name.Middle = strings.TrimSpace(strings.Join(names[2:], " "))
	}
	r.Name.Given = strings.TrimSpace(r.Name.First + " " + r.Name.Middle)
	r.Address.Street1 = field(2)

	// Track 2: IIN, number, expiry YYMM, birth CCYYMMDD, number overflow.
	if t2, ok := tracks["T2"]; ok && len(t2) >= 6 {
		r.Header.IIN = t2[:6]
		num, dates, _ := strings.Cut(t2[6:], "=")
		dates, _, _ = strings.Cut(dates, "=")
		overflow := ""
		if len(dates) >= 12 {
			if d, ok := readDate(dates[4:12], true); ok {
				d.Raw = dates[4:12]
				r.DateOfBirth = d
			} else {
				r.problem("T2", ProblemDate, "birth date "+dates[4:12]+" is not CCYYMMDD")
			}
			overflow = dates[12:]
			r.ExpiryDate = r.magExpiry(dates[:4])
		}
		r.DocumentNumber = num + overflow
	}

	// Track 3: fixed positions after version and security version.
	if t3, ok := tracks["T3"]; ok && len(t3) > 2 {
		at := func(start, n int) string {
			if start >= len(t3) {
				return ""
			}
			return strings.TrimSpace(t3[start:min(len(t3), start+n)])
		}
		r.Address.PostalCode = at(2, 11)
		r.VehicleClass = at(13, 2)
		r.Restrictions = at(15, 10)
		r.Endorsements = at(25, 4)
		switch at(29, 1) {
		case "1", "M":
			r.Sex = Male
		case "2", "F":
			r.Sex = Female
		}
		if h := at(30, 3); len(h) == 3 {
			if v, ok := digitsAt(h, 0, 3); ok && v%100 < 12 {
				r.Height = fromInches(v/100*12 + v%100)
			}
		}
		if w := at(33, 3); w != "" {
			if v, ok := digitsAt(w, 0, len(w)); ok && v > 0 {
				r.Weight = &Weight{Pounds: v, Kilograms: int(float64(v)*0.45359237 + 0.5), Unit: "lb", Range: -1}
			}
		}
		r.HairColor = color(at(36, 3), hairColors)
		r.EyeColor = color(at(39, 3), eyeColors)
	}

	is, _ := LookupIIN(r.Header.IIN)
	r.Issuer = is
	r.Country = is.Country
	r.Address.Country = is.Country
	r.Address.PostalCode = postalCode(r.Address.PostalCode, r.Country)
	r.validate()
	return r, nil
}

// magExpiry reads the track 2 expiry YYMM: month 77 means the licence does
// not expire, 88 the end of the birth month of YY+1, 99 the birthday in YY;
// otherwise the end of that month. Any other month is no date (a problem on
// T2, the expiry left unread).
//
// A 29 February birthday has no birthday in a common year; the licence then
// expires on 28 February, the last day of the birth month, as California's
// and Texas's DMVs do: the earlier of the two readings (1 March is the
// other), so a card is never taken for valid a day after it expired.
//
// The track gives no century. A card expires after its holder was born and
// before the holder turns 100, so YY is put in the first century that
// places the expiry after the birth date on the same track: 99 for a holder
// born in 1980 is 1999 (expired), 31 is 2031. Without a readable birth date
// the century is unknown and the expiry is left unread (a problem on T2),
// rather than guessed into the future.
func (r *Result) magExpiry(yymm string) Date {
	birth := r.DateOfBirth
	yy, ok1 := digitsAt(yymm, 0, 2)
	mm, ok2 := digitsAt(yymm, 2, 2)
	if ok1 && ok2 && mm == 77 {
		return Date{}
	}
	if !ok1 || !ok2 || (mm < 1 || mm > 12) && mm != 88 && mm != 99 {
		r.problem("T2", ProblemDate, "expiry "+yymm+" is not YYMM with a month, 77, 88 or 99")
		return Date{Raw: yymm}
	}
	if !birth.Valid() {
		r.problem("T2", ProblemDate, "expiry "+yymm+" has no century without a birth date")
		return Date{Raw: yymm}
	}
	at := func(y int) Date {
		switch {
		case mm == 88:
			return endOfMonth(y+1, birth.Month, yymm)
		case mm == 99:
			d := endOfMonth(y, birth.Month, yymm)
			d.Day = min(d.Day, birth.Day)
			return d
		}
		return endOfMonth(y, time.Month(mm), yymm)
	}
	y := birth.Year/100*100 + yy
	if d := at(y); d.Time().After(birth.Time()) {
		return d
	}
	return at(y + 100)
}

func endOfMonth(y int, m time.Month, raw string) Date {
	return Date{Year: y, Month: m, Day: time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day(), Raw: raw}
}
