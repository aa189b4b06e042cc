package aamva_test

import (
	"fmt"

	"github.com/idkit-dev/idkit/aamva"
)

func ExampleParse() {
	// What a PDF417 reader returns for the back of a licence (shortened).
	payload := "@\n\x1e\rANSI 636000100001DL00310211DLDAQT64235789\nDCSSAMPLE\nDACMICHAEL\nDADJOHN\n" +
		"DBD06062019\nDBB06061986\nDBA12102024\nDBC1\nDAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\n" +
		"DAIRICHMOND\nDAJVA\nDAK232690000  \nDCF2424244747474786102204\nDCGUSA\nDDAF\nDDEN\nDDFN\nDDGN\r"
	r, err := aamva.Parse([]byte(payload))
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Issuer.Name, r.Header.Version, r.DocumentType, r.DocumentNumber)
	fmt.Println(r.Name.Family, "/", r.Name.Given)
	fmt.Println(r.DateOfBirth, r.Sex, r.ExpiryDate)
	fmt.Println(r.Address.City, r.Address.Jurisdiction, r.Address.PostalCode, r.Address.Country)
	fmt.Println(r.Height.Inches, "in =", r.Height.Centimeters, "cm;", r.Compliance, "; valid:", r.Valid)
	// Output:
	// Virginia 10 DL T64235789
	// SAMPLE / MICHAEL JOHN
	// 1986-06-06 M 2024-12-10
	// RICHMOND VA 23269 USA
	// 68 in = 173 cm; fully_compliant ; valid: true
}
