package age

import "strings"

// Majority returns the age of majority for a country (ISO 3166-1 alpha-3,
// as in MRZs) and, for the United States and Canada, a state or province
// (its two-letter postal code, as in AAMVA barcodes). known is false when
// the table has no entry for the country and 18, the most common age, is
// returned, and for the United States and Canada without a state or
// province it knows (a passport names none): 18 is then the commonest age
// there, not the holder's (Alabama and Nebraska say 19, Mississippi 21,
// seven Canadian provinces and territories 19).
//
// Source: Wikipedia, "Age of majority" (the table of ages of majority by
// jurisdiction, 2023 revision), cross-checked against the national laws
// cited there; Japan lowered its age to 18 on 2022-04-01 (Civil Code
// amendment, Act No. 59 of 2018) and Taiwan on 2023-01-01 (Civil Code art.
// 12 amendment). The table lists only ages other than 18; every other
// ISO country is 18 and reported known.
func Majority(country, subdivision string) (years int, known bool) {
	c := strings.ToUpper(strings.TrimSpace(country))
	s := strings.ToUpper(strings.TrimSpace(subdivision))
	switch c {
	case "USA":
		if a, ok := usStates[s]; ok {
			return a, true
		}
		return 18, strings.Contains(usCodes, " "+s+" ") && s != ""
	case "CAN":
		if a, ok := canadianProvinces[s]; ok {
			return a, true
		}
		return 18, false
	}
	if a, ok := countries[c]; ok {
		return a, true
	}
	if len(c) == 3 && isAlpha(c) {
		return 18, true
	}
	return 18, false
}

func isAlpha(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
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
