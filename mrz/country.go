package mrz

import "strings"

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
	Alpha3 string      `json:"alpha3,omitempty"`
	Name   string      `json:"name"`
	Kind   CountryKind `json:"kind"`
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
	"RKS": {Name: "Kosovo"},
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
		return c, true
	}
	if name, ok := isoCountries[code]; ok {
		return Country{Code: code, Alpha3: code, Name: name, Kind: CountryISO}, true
	}
	return Country{Code: code}, false
}
