package contact

import (
	"fmt"
	"strings"
	"testing"
)

// phoneForms are the ways a ten-digit national number n (split as
// 3+3+2+2) gets typed, and a few it should not be.
var phoneForms = []func(a, b, c, d string) string{
	func(a, b, c, d string) string { return "+7" + a + b + c + d },
	func(a, b, c, d string) string { return "+7 " + a + " " + b + " " + c + " " + d },
	func(a, b, c, d string) string { return "+7 (" + a + ") " + b + "-" + c + "-" + d },
	func(a, b, c, d string) string { return "+7(" + a + ")" + b + c + d },
	func(a, b, c, d string) string { return "+ 7 " + a + " " + b + c + d },
	func(a, b, c, d string) string { return "+7." + a + "." + b + "." + c + "." + d },
	func(a, b, c, d string) string { return "8" + a + b + c + d },
	func(a, b, c, d string) string { return "8 (" + a + ") " + b + "-" + c + "-" + d },
	func(a, b, c, d string) string { return "8-" + a + "-" + b + "-" + c + "-" + d },
	func(a, b, c, d string) string { return "8 " + a + " " + b + " " + c + d },
	func(a, b, c, d string) string { return a + b + c + d },
	func(a, b, c, d string) string { return "(" + a + ") " + b + " " + c + " " + d },
	func(a, b, c, d string) string { return "7" + a + b + c + d },
	func(a, b, c, d string) string { return "7 " + a + " " + b + " " + c + " " + d },
	func(a, b, c, d string) string { return "+8" + a + b + c + d },
	func(a, b, c, d string) string { return "+7" + a + b + c + d + "1" },
	func(a, b, c, d string) string { return "8" + a + b + c + d[:1] },
	func(a, b, c, d string) string { return "87" + a + b + c + d },
	func(a, b, c, d string) string { return "+7 " + a + " " + b + " " + c + " " + d + " доб. 12" },
	func(a, b, c, d string) string { return "+7/" + a + "/" + b + c + d },
	func(a, b, c, d string) string { return "+7 " + a + "+" + b + c + d },
}

// TestFastPhoneIsTheLibrarys compares the fast path with phonenumbers for
// every three-digit prefix in every form above and in both regions: where
// the fast path answers, its answer is the library's, and it answers for
// every +7 mobile number typed the common ways.
func TestFastPhoneIsTheLibrarys(t *testing.T) {
	fast := 0
	for _, region := range []string{"KZ", "RU"} {
		for p := range 1000 {
			tails := []string{fmt.Sprintf("%07d", (p*7919+12345)%10_000_000)}
			if p/100 == 7 || p/100 == 9 {
				tails = append(tails, "0000000", "9999999")
			}
			for _, tail := range tails {
				a, b, c, d := fmt.Sprintf("%03d", p), tail[:3], tail[3:5], tail[5:]
				for i, form := range phoneForms {
					raw := form(a, b, c, d)
					want, valid := libraryPhone(raw, region)
					got, ok := fastPhone(raw, region)
					switch {
					case ok && (!valid || got != want):
						t.Fatalf("%s %q: fast path %q, library %q (valid %v)", region, raw, got, want, valid)
					case ok:
						fast++
					case valid && i < 12 && mobile7([]byte(a+b+c+d)):
						t.Errorf("%s %q: a +7 mobile in a common form left to the library", region, raw)
					}
				}
			}
		}
	}
	if fast == 0 {
		t.Fatal("the fast path answered nothing")
	}
}

// TestPhoneEdgeCases: the numbers around the fast path's edges come out
// as the library says, through Phone.
func TestPhoneEdgeCases(t *testing.T) {
	for _, raw := range []string{
		"+7 701 123 45 67", "  8 (701) 123-45-67 ", "87011234567", "7011234567", "77011234567", "79161234567",
		"89161234567", "9161234567", "+79161234567", "007 701 123 45 67", "+7 703 123 45 67", "+7 727 258 12 34",
		"8 (727) 258-12-34", "7272581234", "+7 760 000 00 00", "+7 785 999 99 99", "+7 786 123 45 67",
		"+7 6001234567", "+7 (700) 000-00-00", "+7 709 123 45 67", "8 800 555 35 35", "+7 495 123 45 67",
		"+996 555 123 456", "+49 151 23456789", "8-10-49-151-23456789", "810 49 151 23456789", "+7", "8", "",
		"++77011234567", "+7 701 123 45 67 ext 5", "+7 701 123 45 6", "+7 701 123 45 678", "8 701 123 45 67 8",
		"((701)) 123 45 67", "7-701-123-45-67", "+7 (7 0 1) 1234567", "+7 701 123 4567.", "-87011234567",
	} {
		for _, region := range []string{"KZ", "RU", "kz", ""} {
			t.Run(region+" "+raw, func(t *testing.T) {
				lib := region
				if lib == "" {
					lib = DefaultRegion
				}
				s := strings.TrimSpace(raw)
				if strings.HasPrefix(s, "00") {
					s = "+" + s[2:]
				}
				want, valid := "", false
				if s != "" {
					want, valid = libraryPhone(s, lib)
				}
				got, err := Phone(raw, region)
				if got != want || (err == nil) != valid {
					t.Errorf("Phone(%q, %q) = %q, %v; the library says %q (valid %v)", raw, region, got, err, want, valid)
				}
			})
		}
	}
}

// BenchmarkPhone: a +7 mobile through the fast path and a foreign number
// through the library.
func BenchmarkPhone(b *testing.B) {
	for _, raw := range []string{"8 (701) 123-45-67", "+49 151 23456789"} {
		b.Run(raw, func(b *testing.B) {
			for b.Loop() {
				if _, err := Phone(raw, "KZ"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
