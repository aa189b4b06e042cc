package mrz

import "fmt"

// charValue is the ICAO 9303-3 value of an MRZ character: digits are
// themselves, A-Z are 10-35 and the filler < is 0.
func charValue(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10, true
	case c == '<':
		return 0, true
	}
	return 0, false
}

// CheckDigit returns the ICAO 9303 check digit of data: the sum of the
// character values weighted 7, 3, 1, 7, 3, 1... modulo 10. It returns
// ErrCharacter for a character outside A-Z, 0-9 and <.
func CheckDigit(data string) (int, error) {
	sum := 0
	for i := 0; i < len(data); i++ {
		v, ok := charValue(data[i])
		if !ok {
			return 0, fmt.Errorf("%w: %q at %d", ErrCharacter, data[i], i)
		}
		sum += v * [3]int{7, 3, 1}[i%3]
	}
	return sum % 10, nil
}

// checkOK reports whether digit protects data. A filler is accepted as the
// check digit of data that is all fillers, which ICAO allows for an unused
// optional data field.
func checkOK(data string, digit byte) (want string, ok bool) {
	cd, err := CheckDigit(data)
	if err != nil {
		return "", false
	}
	want = string(rune('0' + cd))
	if digit == '<' && allFiller(data) {
		return want, true
	}
	return want, digit == want[0]
}

func allFiller(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			return false
		}
	}
	return true
}
