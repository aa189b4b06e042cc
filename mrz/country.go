package mrz

import (
	"strings"
	"sync"
)

// country_iso.go is generated from Debian's iso-codes (apt-get install -y
// iso-codes); see internal/gencountry.
//go:generate go run ./internal/gencountry -o country_iso.go

// CountryKind says where a code comes from.
type CountryKind string

// Country kinds.
const (
	// CountryISO is an ISO 3166-1 alpha-3 country.
	CountryISO CountryKind = "iso3166"
	// CountryICAO is a code ICAO 9303-3 adds: D, the British nationality
	// codes, organisations, stateless persons and refugees.
	CountryICAO CountryKind = "icao"
	// CountrySpecimen is UTO, the fictional Utopia of ICAO and national
	// specimens; EUE-style codes are CountryICAO.
	CountrySpecimen CountryKind = "specimen"
)

// Country describes a three-letter MRZ code.
type Country struct {
	// Code is the code as written in the MRZ, fillers removed ("D").
	Code string `json:"code"`
	// Alpha3 is the ISO 3166-1 alpha-3 code when the code names a country
	// ("DEU" for "D"); empty for organisations, refugees and UTO.
	Alpha3 string `json:"alpha3,omitempty"`
	// Alpha2 is the ISO 3166-1 alpha-2 code of that country ("DE" for
	// "D"), the code GeoIP databases and phone numbering plans use; for
	// Kosovo (RKS) it is XK, the user-assigned code in common use (the
	// European Commission's, and GeoIP databases').
	Alpha2 string      `json:"alpha2,omitempty"`
	Name   string      `json:"name"`
	Kind   CountryKind `json:"kind"`
}

// isoCountry is an entry of isoCountries, the generated ISO 3166-1 table.
type isoCountry struct {
	alpha2, name string
}

// icaoCodes are the codes ICAO Doc 9303 part 3 (8th edition, 2021, section
// 5) defines beyond ISO 3166-1, plus RKS, which Kosovo writes in its
// passports and many readers accept. alpha3 is set where the code stands for
// an ISO country.
var icaoCodes = map[string]Country{
	"D":   {Alpha3: "DEU", Name: "Germany"},
	"EUE": {Name: "European Union"},
	"GBD": {Alpha3: "GBR", Name: "British Overseas Territories Citizen"},
	"GBN": {Alpha3: "GBR", Name: "British National (Overseas)"},
	"GBO": {Alpha3: "GBR", Name: "British Overseas Citizen"},
	"GBP": {Alpha3: "GBR", Name: "British Protected Person"},
	"GBS": {Alpha3: "GBR", Name: "British Subject"},
	"RKS": {Alpha2: kosovoAlpha2, Name: "Kosovo"},
	"UNA": {Name: "Specialized Agency of the United Nations"},
	"UNK": {Name: "Resident of Kosovo (UNMIK)"},
	"UNO": {Name: "United Nations Organization"},
	"XBA": {Name: "African Development Bank"},
	"XCC": {Name: "Caribbean Community (CARICOM)"},
	"XCE": {Name: "Council of Europe"},
	"XCO": {Name: "Common Market for Eastern and Southern Africa (COMESA)"},
	"XDC": {Name: "Southern African Development Community"},
	"XEC": {Name: "Economic Community of West African States (ECOWAS)"},
	"XES": {Name: "Organisation of Eastern Caribbean States"},
	"XIM": {Name: "African Export-Import Bank"},
	"XMP": {Name: "Parliamentary Assembly of the Mediterranean"},
	"XOM": {Name: "Sovereign Military Order of Malta"},
	"XPO": {Name: "International Criminal Police Organization (INTERPOL)"},
	"XXA": {Name: "Stateless person (1954 Convention)"},
	"XXB": {Name: "Refugee (1951 Convention)"},
	"XXC": {Name: "Refugee (other)"},
	"XXX": {Name: "Unspecified nationality"},
}

// SpecimenCode is the code of Utopia, the fictional state of specimens.
const SpecimenCode = "UTO"

// kosovoAlpha2 is the alpha-2 code in use for Kosovo, which ISO 3166-1 does
// not list; RKS is its MRZ code.
const kosovoAlpha2 = "XK"

// LookupCountry describes an MRZ country code (fillers allowed: "D<<").
// ok is false for a code that is neither ISO 3166-1 alpha-3, an ICAO code
// nor UTO.
func LookupCountry(code string) (Country, bool) {
	code = strings.TrimRight(code, "<")
	if code == SpecimenCode {
		return Country{Code: code, Name: "Utopia", Kind: CountrySpecimen}, true
	}
	if c, ok := icaoCodes[code]; ok {
		c.Code = code
		c.Kind = CountryICAO
		if c.Alpha3 != "" {
			c.Alpha2 = isoCountries[c.Alpha3].alpha2
		}
		return c, true
	}
	if iso, ok := isoCountries[code]; ok {
		return Country{Code: code, Alpha3: code, Alpha2: iso.alpha2, Name: iso.name, Kind: CountryISO}, true
	}
	return Country{Code: code}, false
}

// LookupAlpha2 describes the country of an ISO 3166-1 alpha-2 code ("DE"),
// or of XK, Kosovo's code in common use, in the same table LookupCountry
// reads: Code is then the code an MRZ writes for that country ("DEU",
// "RKS"). The code is taken as given, two upper-case letters; ok is false
// for any other code.
func LookupAlpha2(code string) (Country, bool) {
	if code == kosovoAlpha2 {
		return LookupCountry("RKS")
	}
	a3, ok := alpha3ByAlpha2()[code]
	if !ok {
		return Country{Code: code}, false
	}
	return LookupCountry(a3)
}

// alpha3ByAlpha2 inverts isoCountries, built once on first use.
var alpha3ByAlpha2 = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, len(isoCountries))
	for a3, c := range isoCountries {
		m[c.alpha2] = a3
	}
	return m
})
