package specimen

import "math/rand/v2"

// Corrupt returns a copy of lines with n digits changed to other digits at
// positions drawn from seed. Each change keeps the character class, so OCR
// repair cannot undo it, and breaks at least one check digit: the zone of a
// forged or misprinted document.
func Corrupt(lines []string, n int, seed uint64) []string {
	out := make([]string, len(lines))
	copy(out, lines)
	type pos struct{ line, col int }
	var digits []pos
	for i, l := range lines {
		for j := 0; j < len(l); j++ {
			if l[j] >= '0' && l[j] <= '9' {
				digits = append(digits, pos{i, j})
			}
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	rng.Shuffle(len(digits), func(i, j int) { digits[i], digits[j] = digits[j], digits[i] })
	for _, p := range digits[:min(n, len(digits))] {
		b := []byte(out[p.line])
		b[p.col] = '0' + (b[p.col]-'0'+byte(1+rng.IntN(9)))%10
		out[p.line] = string(b)
	}
	return out
}
