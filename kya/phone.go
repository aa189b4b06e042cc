package kya

import (
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// phoneType names libphonenumber's number types; notPersonal marks lines
// that are not someone's own phone.
func phoneType(t phonenumbers.PhoneNumberType) (name string, notPersonal bool) {
	switch t {
	case phonenumbers.FIXED_LINE:
		return "fixed_line", false
	case phonenumbers.MOBILE:
		return "mobile", false
	case phonenumbers.FIXED_LINE_OR_MOBILE:
		return "fixed_line_or_mobile", false
	case phonenumbers.VOIP:
		return "voip", false
	case phonenumbers.PERSONAL_NUMBER:
		return "personal_number", false
	case phonenumbers.TOLL_FREE:
		return "toll_free", true
	case phonenumbers.PREMIUM_RATE:
		return "premium_rate", true
	case phonenumbers.SHARED_COST:
		return "shared_cost", true
	case phonenumbers.PAGER:
		return "pager", true
	case phonenumbers.UAN:
		return "uan", true
	case phonenumbers.VOICEMAIL:
		return "voicemail", true
	}
	return "unknown", false
}

// phoneDigits drops the punctuation people type in numbers, to tell
// whether a number was given in E.164 form.
var phoneDigits = strings.NewReplacer(" ", "", "-", "", ".", "", "(", "", ")", "")

// maxPhoneLen bounds the input handed to the parser; E.164 numbers have at
// most 15 digits, so 64 characters leave room for any punctuation.
const maxPhoneLen = 64

// checkPhone validates a number. A number without a leading + is read in
// the declared country (alpha-2, may be empty).
func checkPhone(phone, country string) Check {
	ch := Check{Name: CheckPhone}
	phone = strings.TrimSpace(phone)
	if phone == "" {
		ch.Status, ch.Reason = Skip, "no phone given"
		return ch
	}
	if len(phone) > maxPhoneLen {
		ch.Status, ch.Reason = Fail, "too long to be a phone number"
		return ch
	}
	international := strings.HasPrefix(phone, "+")
	if !international && country == "" {
		ch.Status, ch.Reason = Fail, "not in E.164 form (+ and country code), and no declared country to read it in"
		return ch
	}
	num, err := phonenumbers.Parse(phone, country)
	if err != nil {
		ch.Status, ch.Reason = Fail, "not a phone number: "+err.Error()
		return ch
	}
	region := phonenumbers.GetRegionCodeForNumber(num)
	if !phonenumbers.IsValidNumber(num) {
		ch.Status = Fail
		switch phonenumbers.IsPossibleNumberWithReason(num) {
		case phonenumbers.TOO_SHORT:
			ch.Reason = "not a valid number: too short"
		case phonenumbers.TOO_LONG:
			ch.Reason = "not a valid number: too long"
		case phonenumbers.INVALID_COUNTRY_CODE:
			ch.Reason = "not a valid number: unknown country code"
		default:
			ch.Reason = fmt.Sprintf("not a valid number for country code +%d", num.GetCountryCode())
		}
		return ch
	}
	typ, notPersonal := phoneType(phonenumbers.GetNumberType(num))
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	ch.Details = map[string]any{"e164": e164, "region": region, "type": typ, "given_in_e164": international && phoneDigits.Replace(phone) == e164}
	switch {
	case country != "" && region != country && !phonenumbers.IsValidNumberForRegion(num, country):
		ch.Status, ch.Reason = Warn, fmt.Sprintf("valid number from %s, but the declared country is %s", region, country)
	case notPersonal:
		ch.Status, ch.Reason = Warn, fmt.Sprintf("valid %s number for %s, not a personal line", strings.ReplaceAll(typ, "_", " "), region)
	default:
		ch.Status, ch.Reason = Pass, fmt.Sprintf("valid %s number for %s", strings.ReplaceAll(typ, "_", " "), region)
	}
	return ch
}
