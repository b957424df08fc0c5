package handlers

import "testing"

func TestParsePress(t *testing.T) {
	for _, tc := range []struct {
		name, data   string
		want         action
		arg0, arg1   string
		wantArgCount int
	}{
		{"action only", "x:csv", action{prefixExport, "csv"}, "", "", 0},
		{"one id", "cu:o:abc", action{prefixCustomer, "o"}, "abc", "", 1},
		{"id and value", "or:s:abc:delivered", action{prefixOrder, "s"}, "abc", "delivered", 2},
		{"prefix alone", "rp", action{prefix: prefixReport}, "", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parsePress(tc.data)
			if p.action != tc.want || p.arg(0) != tc.arg0 || p.arg(1) != tc.arg1 || len(p.args) != tc.wantArgCount {
				t.Fatalf("parsePress(%q) = %+v", tc.data, p)
			}
			if got := p.action.data(p.args...); got != tc.data && tc.wantArgCount > 0 {
				t.Fatalf("data round trip: %q, want %q", got, tc.data)
			}
		})
	}
}
