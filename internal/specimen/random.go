package specimen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/idkit-dev/idkit/mrz"
)

// Names and places for random specimens: common in many countries, some
// with diacritics, hyphens and apostrophes to exercise transliteration.
var (
	surnames = []string{"ERIKSSON", "MÜLLER", "DUPONT", "KOUASSI", "GARCÍA LÓPEZ", "O'BRIEN", "NGUYEN", "SMITH",
		"KOWALSKI", "ROSSI", "DIALLO", "YILMAZ", "SILVA", "JOHANSSON", "MARTIN-DURAND", "OKAFOR", "TANAKA", "VAN DER BERG",
		"BENALI", "PETROVIĆ", "ØSTERGÅRD", "LEE", "MOHAMMED", "TRAORÉ", "FERNÁNDEZ", "SCHMIDT", "WOJCIECHOWSKA"}
	givenNames = []string{"ANNA MARIA", "JEAN-PIERRE", "AMINATA", "JOSÉ", "LI", "MARY ELLEN", "KWAME", "SØREN",
		"FATOUMATA", "CHLOÉ", "MOHAMED ALI", "JOHN", "ZOË", "ALEKSANDR", "YAO", "SIOBHÁN", "ISABELLA", "OMAR", "ÉLODIE"}
	places      = []string{"ZENITH", "PARIS", "ABIDJAN", "BERLIN", "LAGOS", "MADRID", "OSLO", "DAKAR", "LYON", "ROMA"}
	authorities = []string{"PASSPORT OFFICE", "PREFECTURE", "MINISTRY OF INTERIOR", "CITY HALL", "EMBASSY"}
	states      = []string{"UTO", "UTO", "UTO", "D", "FRA", "CIV", "GBR", "USA", "ESP", "ITA", "NLD", "SEN", "CAN"}
)

// Random returns a spec with plausible random holder data for an MRZ
// format (TD1, TD2 or TD3), drawn from seed; now anchors the dates (birth
// 16 to 80 years before, expiry up to 10 years after). Face is left nil.
func Random(format mrz.Format, seed uint64, now time.Time) Spec {
	rng := rand.New(rand.NewPCG(seed, 0x5bec))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	alnum := func(n int) string {
		const cs = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteByte(cs[rng.IntN(len(cs))])
		}
		return b.String()
	}
	date := func(t time.Time) mrz.Date { return mrz.NewDate(t.Year(), t.Month(), t.Day()) }
	birth := now.AddDate(-16-rng.IntN(64), -rng.IntN(12), -rng.IntN(28))
	issue := now.AddDate(-rng.IntN(9), -rng.IntN(12), -rng.IntN(28))
	expiry := issue.AddDate(10, 0, -1)
	if !expiry.After(now) {
		expiry = now.AddDate(1+rng.IntN(4), 0, 0)
	}
	state := pick(states)
	code := map[mrz.Format]string{mrz.TD1: "I", mrz.TD2: "I", mrz.TD3: "P"}[format]
	if code == "I" && rng.IntN(3) == 0 {
		code = "ID"
	}
	sex := []mrz.Sex{mrz.Male, mrz.Female, mrz.Female, mrz.Male, mrz.SexUnspecified}[rng.IntN(5)]
	f := mrz.Fields{
		Format: format, DocumentCode: code, IssuingState: state,
		Surname: pick(surnames), GivenNames: pick(givenNames),
		DocumentNumber: alnum(9), Nationality: state,
		BirthDate: date(birth), Sex: sex, ExpiryDate: date(expiry),
	}
	if rng.IntN(2) == 0 {
		f.OptionalData = alnum(2 + rng.IntN(5))
	}
	return Spec{
		Fields: f, PlaceOfBirth: pick(places), Authority: pick(authorities), IssueDate: date(issue),
		Seed: int64(seed % (1 << 62)),
	}
}

// String describes a spec in a line, for test names and logs.
func (s Spec) String() string {
	return fmt.Sprintf("%s %s %s/%s", s.Fields.Format, s.Fields.IssuingState, s.Fields.Surname, s.Fields.DocumentNumber)
}
