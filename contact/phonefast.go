package contact

// Nearly every number a consultant in Kazakhstan or Russia has is a +7
// mobile typed one of a handful of ways ("+7 701 123 45 67", "8 (701)
// 123-45-67", "87011234567", "7011234567"). phonenumbers parses each with
// regular expressions (about 35 µs); fastPhone reads those forms directly
// and answers only where the library's answer is known to be the same
// (phonefast_test.go compares the two over every prefix and form); every
// other number goes to the library.

// fastPhone returns the E.164 form of s (trimmed, "00" already made "+")
// in region KZ or RU, and false when the library must decide.
func fastPhone(s, region string) (string, bool) {
	if region != "KZ" && region != "RU" {
		return "", false
	}
	var d [11]byte
	n := 0
	plus := len(s) > 0 && s[0] == '+'
	for i := range len(s) {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if n == len(d) {
				return "", false
			}
			d[n] = c
			n++
		case c == '+' && i == 0, c == ' ', c == '-', c == '(', c == ')', c == '.':
		default:
			return "", false
		}
	}
	var national []byte
	switch {
	case plus && n == 11 && d[0] == '7':
		national = d[1:11]
	case !plus && n == 11 && d[0] == '8':
		national = d[1:11] // the national prefix
	case !plus && n == 10:
		national = d[:10]
	case !plus && n == 11 && d[0] == '7' && (d[1] == '7' || region == "RU"):
		// The country code without its "+": the library takes it off
		// only where what is left is a number of the region's own.
		national = d[1:11]
	default:
		return "", false
	}
	if !mobile7(national) {
		return "", false
	}
	return "+7" + string(national), true
}

// mobile7 reports whether a ten-digit national number is a +7 mobile
// number by the library's metadata: Russia's 9\d{9} or Kazakhstan's
// 7(?:0[0-25-8]|47|6[0-4]|7[15-8]|85)\d{7}.
func mobile7(n []byte) bool {
	switch n[0] {
	case '9':
		return true
	case '7':
	default:
		return false
	}
	a, b := n[1], n[2]
	switch a {
	case '0':
		return b <= '2' || (b >= '5' && b <= '8')
	case '4':
		return b == '7'
	case '6':
		return b <= '4'
	case '7':
		return b == '1' || (b >= '5' && b <= '8')
	case '8':
		return b == '5'
	}
	return false
}
