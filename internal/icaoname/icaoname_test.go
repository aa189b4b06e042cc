package icaoname_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/idkit-dev/idkit/internal/icaoname"
)

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  []string
		latin bool
	}{
		{"Müller-Lüdenscheidt", []string{"MUELLER", "LUEDENSCHEIDT"}, true},
		{"ÉLODIE D'ARC", []string{"ELODIE", "DARC"}, true},
		{"ERIKSSON<<ANNA<MARIA", []string{"ERIKSSON", "ANNA", "MARIA"}, true},
		{"Þórsdóttir Guðrún", []string{"THORSDOTTIR", "GUDRUN"}, true},
		{"Straße", []string{"STRASSE"}, true},
		{"Łukasz Żółw", []string{"LUKASZ", "ZOLW"}, true},
		{"Иван", []string{"ИВАН"}, false},
		{"  <<  ", nil, true},
	} {
		got, latin := icaoname.Tokens(tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.latin, latin, tc.in)
	}
}

func TestLoose(t *testing.T) {
	a, _ := icaoname.Tokens("Müller")
	b, _ := icaoname.Tokens("MULLER")
	assert.Equal(t, icaoname.Loose(a), icaoname.Loose(b))
	in := []string{"AABERG"}
	assert.Equal(t, []string{"ABERG"}, icaoname.Loose(in))
	assert.Equal(t, []string{"AABERG"}, in, "Loose must not change its input")
}

func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Müller", "O'Brien", "A<<B", "ǅ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, _ := icaoname.Tokens(s)
		for _, w := range toks {
			assert.NotEmpty(t, w)
		}
		_ = icaoname.Loose(toks)
	})
}
