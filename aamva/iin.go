package aamva

// Issuer is a jurisdiction that issues DL/ID cards.
type Issuer struct {
	IIN string `json:"iin"`
	// Code is the two-letter jurisdiction code used in addresses (DAJ).
	Code string `json:"code"`
	Name string `json:"name"`
	// Country is the ISO 3166-1 alpha-3 code: USA, CAN or MEX.
	Country string `json:"country"`
}

// issuers maps the Issuer Identification Numbers AAMVA assigns to
// jurisdictions (AAMVA DL/ID Card Design Standard, Annex D "IIN" table and
// the AAMVA IIN list; 990876 is an older Alberta number still in the field).
// US territories are issued under the United States.
var issuers = map[string]Issuer{
	"636033": {Code: "AL", Name: "Alabama", Country: "USA"},
	"636059": {Code: "AK", Name: "Alaska", Country: "USA"},
	"604427": {Code: "AS", Name: "American Samoa", Country: "USA"},
	"636026": {Code: "AZ", Name: "Arizona", Country: "USA"},
	"636021": {Code: "AR", Name: "Arkansas", Country: "USA"},
	"636014": {Code: "CA", Name: "California", Country: "USA"},
	"636020": {Code: "CO", Name: "Colorado", Country: "USA"},
	"636006": {Code: "CT", Name: "Connecticut", Country: "USA"},
	"636011": {Code: "DE", Name: "Delaware", Country: "USA"},
	"636043": {Code: "DC", Name: "District of Columbia", Country: "USA"},
	"636010": {Code: "FL", Name: "Florida", Country: "USA"},
	"636055": {Code: "GA", Name: "Georgia", Country: "USA"},
	"636019": {Code: "GU", Name: "Guam", Country: "USA"},
	"636047": {Code: "HI", Name: "Hawaii", Country: "USA"},
	"636050": {Code: "ID", Name: "Idaho", Country: "USA"},
	"636035": {Code: "IL", Name: "Illinois", Country: "USA"},
	"636037": {Code: "IN", Name: "Indiana", Country: "USA"},
	"636018": {Code: "IA", Name: "Iowa", Country: "USA"},
	"636022": {Code: "KS", Name: "Kansas", Country: "USA"},
	"636046": {Code: "KY", Name: "Kentucky", Country: "USA"},
	"636007": {Code: "LA", Name: "Louisiana", Country: "USA"},
	"636041": {Code: "ME", Name: "Maine", Country: "USA"},
	"636003": {Code: "MD", Name: "Maryland", Country: "USA"},
	"636002": {Code: "MA", Name: "Massachusetts", Country: "USA"},
	"636032": {Code: "MI", Name: "Michigan", Country: "USA"},
	"636038": {Code: "MN", Name: "Minnesota", Country: "USA"},
	"636051": {Code: "MS", Name: "Mississippi", Country: "USA"},
	"636030": {Code: "MO", Name: "Missouri", Country: "USA"},
	"636008": {Code: "MT", Name: "Montana", Country: "USA"},
	"636054": {Code: "NE", Name: "Nebraska", Country: "USA"},
	"636049": {Code: "NV", Name: "Nevada", Country: "USA"},
	"636039": {Code: "NH", Name: "New Hampshire", Country: "USA"},
	"636036": {Code: "NJ", Name: "New Jersey", Country: "USA"},
	"636009": {Code: "NM", Name: "New Mexico", Country: "USA"},
	"636001": {Code: "NY", Name: "New York", Country: "USA"},
	"636004": {Code: "NC", Name: "North Carolina", Country: "USA"},
	"636034": {Code: "ND", Name: "North Dakota", Country: "USA"},
	"604430": {Code: "MP", Name: "Northern Mariana Islands", Country: "USA"},
	"636023": {Code: "OH", Name: "Ohio", Country: "USA"},
	"636058": {Code: "OK", Name: "Oklahoma", Country: "USA"},
	"636029": {Code: "OR", Name: "Oregon", Country: "USA"},
	"636025": {Code: "PA", Name: "Pennsylvania", Country: "USA"},
	"604431": {Code: "PR", Name: "Puerto Rico", Country: "USA"},
	"636052": {Code: "RI", Name: "Rhode Island", Country: "USA"},
	"636005": {Code: "SC", Name: "South Carolina", Country: "USA"},
	"636042": {Code: "SD", Name: "South Dakota", Country: "USA"},
	"636027": {Code: "", Name: "US Department of State", Country: "USA"},
	"636053": {Code: "TN", Name: "Tennessee", Country: "USA"},
	"636015": {Code: "TX", Name: "Texas", Country: "USA"},
	"636062": {Code: "VI", Name: "US Virgin Islands", Country: "USA"},
	"636040": {Code: "UT", Name: "Utah", Country: "USA"},
	"636024": {Code: "VT", Name: "Vermont", Country: "USA"},
	"636000": {Code: "VA", Name: "Virginia", Country: "USA"},
	"636045": {Code: "WA", Name: "Washington", Country: "USA"},
	"636061": {Code: "WV", Name: "West Virginia", Country: "USA"},
	"636031": {Code: "WI", Name: "Wisconsin", Country: "USA"},
	"636060": {Code: "WY", Name: "Wyoming", Country: "USA"},
	"604432": {Code: "AB", Name: "Alberta", Country: "CAN"},
	"990876": {Code: "AB", Name: "Alberta", Country: "CAN"},
	"636028": {Code: "BC", Name: "British Columbia", Country: "CAN"},
	"636048": {Code: "MB", Name: "Manitoba", Country: "CAN"},
	"636017": {Code: "NB", Name: "New Brunswick", Country: "CAN"},
	"636016": {Code: "NL", Name: "Newfoundland and Labrador", Country: "CAN"},
	"604434": {Code: "NT", Name: "Northwest Territories", Country: "CAN"},
	"636013": {Code: "NS", Name: "Nova Scotia", Country: "CAN"},
	"604433": {Code: "NU", Name: "Nunavut", Country: "CAN"},
	"636012": {Code: "ON", Name: "Ontario", Country: "CAN"},
	"604426": {Code: "PE", Name: "Prince Edward Island", Country: "CAN"},
	"604428": {Code: "QC", Name: "Quebec", Country: "CAN"},
	"636044": {Code: "SK", Name: "Saskatchewan", Country: "CAN"},
	"604429": {Code: "YT", Name: "Yukon", Country: "CAN"},
	"636056": {Code: "COA", Name: "Coahuila", Country: "MEX"}, // ISO 3166-2:MX codes
	"636057": {Code: "HID", Name: "Hidalgo", Country: "MEX"},
}

// LookupIIN returns the jurisdiction an IIN belongs to.
func LookupIIN(iin string) (Issuer, bool) {
	is, ok := issuers[iin]
	is.IIN = iin
	return is, ok
}
