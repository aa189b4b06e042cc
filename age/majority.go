package age

import (
	"fmt"
	"strings"

	"github.com/idkit-dev/idkit/mrz"
)

// MajorityAge is the age of majority for a jurisdiction and where it comes
// from.
type MajorityAge struct {
	Years int `json:"years"`
	// Known is false when Years is a guess: 18, the most common age, for a
	// code that names no country or a country without its state.
	Known bool `json:"known"`
	// Max is the highest age of majority a guess could stand for: the
	// highest of the country's states or provinces (21 for the United
	// States, 19 for Canada), or of every jurisdiction the table knows
	// when the country is unknown. It equals Years when Years is known.
	Max int `json:"max"`
	// Reason says which jurisdiction gave Years, or why it is a guess.
	Reason string `json:"reason"`
}

// Majority returns the age of majority for a country and, for the United
// States and Canada, a state or province; known is false when the age is a
// guess. It is LookupMajority without the reason, and fits
// docvalidate.MajorityFunc.
func Majority(country, subdivision string) (years int, known bool) {
	m := LookupMajority(country, subdivision)
	return m.Years, m.Known
}

// LookupMajority returns the age of majority for a country, as written in
// an MRZ: an ISO 3166-1 alpha-3 code or an ICAO Doc 9303 code that stands
// for a country ("D" for Germany, "GBD" and the other British nationality
// codes, "RKS" for Kosovo, "UNK" for the residents of Kosovo); fillers and
// case do not matter. For the United States and Canada the state or
// province (its two-letter postal code, as in AAMVA barcodes) decides. The
// age is a guess, 18 with Known false, for a code that is neither (a typo,
// an OCR error), for the ICAO codes that name no country (organisations
// such as UNO or EUE, stateless persons and refugees, XXA to XXX: their age
// of majority is their country of residence's, which the document does not
// give), for the Utopia of specimens, and for the United States and Canada
// without a state or province it knows (a passport names none): 18 is then
// the commonest age there, not the holder's (Alabama and Nebraska say 19,
// Mississippi 21, seven Canadian provinces and territories 19). A guess is
// no error: the caller decides on it and shows the reason.
//
// The codes come from mrz.LookupCountry (ISO 3166-1 as in Debian
// iso-codes, and ICAO Doc 9303 part 3). The ages: Wikipedia, "Age of
// majority" (the table of ages of majority by jurisdiction, 2023
// revision), cross-checked against the national laws cited there; Japan
// lowered its age to 18 on 2022-04-01 (Civil Code amendment, Act No. 59 of
// 2018) and Taiwan on 2023-01-01 (Civil Code art. 12 amendment). The
// table lists only ages other than 18; every other country is 18 and
// known, Kosovo (RKS, which ICAO lists and ISO does not) included, and so
// is UNK: the travel document UNMIK issued to residents of Kosovo, whose
// holders come of age under Kosovo's law.
func LookupMajority(country, subdivision string) MajorityAge {
	code := strings.TrimRight(strings.ToUpper(strings.TrimSpace(country)), "<")
	s := strings.ToUpper(strings.TrimSpace(subdivision))
	guess := func(why string, max int) MajorityAge {
		return MajorityAge{Years: 18, Max: max, Reason: why + "; 18, the most common age of majority, is a guess"}
	}
	if code == "" {
		return guess("no country was given", highestAnywhere)
	}
	c, ok := mrz.LookupCountry(code)
	switch {
	case !ok:
		return guess(fmt.Sprintf("%q is not an ISO 3166-1 alpha-3 or ICAO 9303 country code", code), highestAnywhere)
	case c.Kind == mrz.CountrySpecimen:
		return guess(code+" is the Utopia of specimens, no real country", highestAnywhere)
	case c.Alpha3 == "" && code != kosovo && code != unmik:
		return guess(fmt.Sprintf("%s (%s) names no country, so no country's age of majority applies", code, c.Name), highestAnywhere)
	}
	a3 := c.Alpha3
	if a3 == "" {
		a3 = kosovo // RKS or UNK: Kosovo has no ISO alpha-3 code
	}
	known := func(years int, where string) MajorityAge {
		return MajorityAge{Years: years, Known: true, Max: years, Reason: fmt.Sprintf("%d, the age of majority in %s", years, where)}
	}
	switch a3 {
	case "USA":
		if a, ok := usStates[s]; ok {
			return known(a, s+", United States")
		}
		if s != "" && strings.Contains(usCodes, " "+s+" ") {
			return known(18, s+", United States")
		}
		return guess("the United States set the age of majority by state, and "+stateOrNone(s, "state"), highestUS)
	case "CAN":
		if a, ok := canadianProvinces[s]; ok {
			return known(a, s+", Canada")
		}
		return guess("Canada's provinces and territories set the age of majority, and "+stateOrNone(s, "province"), highestCanada)
	}
	where := c.Name
	switch {
	case code == unmik:
		where = "Kosovo (UNK, the UNMIK travel document of a resident of Kosovo)"
	case code != a3:
		// The country's own name: GBN is the United Kingdom's.
		iso, _ := mrz.LookupCountry(a3)
		where = iso.Name + " (" + code + ")"
	}
	if a, ok := countries[a3]; ok {
		return known(a, where)
	}
	return known(18, where)
}

// kosovo is the ICAO code Kosovo writes in its passports. It is no ISO
// code (XK is user-assigned), yet a country with its own age of majority.
const kosovo = "RKS"

// unmik is the ICAO code of the travel document the United Nations
// Interim Administration Mission in Kosovo issued to residents of Kosovo
// ("Resident of Kosovo (UNMIK)" in ICAO Doc 9303): it names a mission,
// not a country, yet its holders are Kosovo's residents, of Kosovo's age
// of majority.
const unmik = "UNK"

// The highest ages of majority a guess could stand for, derived once from
// the tables below.
var (
	highestUS       = max(18, highest(usStates))
	highestCanada   = max(18, highest(canadianProvinces))
	highestAnywhere = max(highest(countries), highestUS, highestCanada)
)

// highest is the highest age in an age-of-majority table.
func highest(table map[string]int) int {
	m := 0
	for _, a := range table {
		m = max(m, a)
	}
	return m
}

func stateOrNone(s, what string) string {
	if s == "" {
		return "the document names no " + what
	}
	return fmt.Sprintf("%q is no %s code", s, what)
}

// countries lists the ages of majority other than 18.
var countries = map[string]int{
	"BHR": 21, // Bahrain
	"CMR": 21, // Cameroon
	"EGY": 21, // Egypt
	"KWT": 21, // Kuwait
	"PRI": 21, // Puerto Rico
	"SGP": 21, // Singapore
	"NZL": 20, // New Zealand (Age of Majority Act 1970)
	"THA": 20, // Thailand (Civil and Commercial Code s. 19)
	"DZA": 19, // Algeria
	"KOR": 19, // South Korea (Civil Act art. 4)
}

// usStates lists the states whose age of majority is not 18.
var usStates = map[string]int{
	"AL": 19, // Alabama (Code of Alabama § 26-1-1)
	"NE": 19, // Nebraska (Neb. Rev. Stat. § 43-2101)
	"MS": 21, // Mississippi (Miss. Code § 1-3-27)
	"PR": 21, // Puerto Rico, when written as a US jurisdiction
}

// usCodes are the USPS codes of the states, DC and the territories (the
// AAMVA jurisdictions), space-separated with a space at each end.
const usCodes = " AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY AS GU MP PR VI "

// canadianProvinces: provinces and territories set their own age.
var canadianProvinces = map[string]int{
	"AB": 18, "MB": 18, "ON": 18, "PE": 18, "QC": 18, "SK": 18,
	"BC": 19, "NB": 19, "NL": 19, "NS": 19, "NT": 19, "NU": 19, "YT": 19,
}
