package store

import (
	"strings"
	"testing"
)

// TestRedactMasksThePasswordEvenInURLsThatDoNotParse: the password never
// reaches a log line, whether Go's URL parser takes the URL or rejects it
// (an unescaped '#', '%' or '/' in the password).
func TestRedactMasksThePasswordEvenInURLsThatDoNotParse(t *testing.T) {
	tests := []struct{ dsn, secret, want string }{
		{"mongodb://crm:s3cret@db:27017/crmbot", "s3cret", "mongodb://crm:xxxxx@db:27017/crmbot"},
		{"mongodb://crm:p%zz@db:27017/crmbot", "p%zz", "mongodb://crm:xxxxx@db:27017/crmbot"},
		{"mongodb://crm:a#b/c@d@db1,db2/crmbot?replicaSet=rs", "a#b/c@d", "mongodb://crm:xxxxx@db1,db2/crmbot?replicaSet=rs"},
		{"mongodb://db:27017/crmbot", "", "mongodb://db:27017/crmbot"},
		{"sqlite:/var/lib/crmbot/crmbot.db", "", "sqlite:/var/lib/crmbot/crmbot.db"},
		{"mongodb://crm@db%zz/x", "", "mongodb://crm@db%zz/x"},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			got := Redact(tt.dsn)
			if got != tt.want {
				t.Errorf("Redact = %q, want %q", got, tt.want)
			}
			if tt.secret != "" && strings.Contains(got, tt.secret) {
				t.Errorf("password in %q", got)
			}
			if pw := URLPassword(tt.dsn); pw != tt.secret {
				t.Errorf("URLPassword = %q, want %q", pw, tt.secret)
			}
		})
	}
}
