package crm

import (
	"testing"
	"time"
)

// TestDigestDue: the digest goes from her hour for DigestWindow, in her
// timezone, once a day; not at first contact late in the day.
func TestDigestDue(t *testing.T) {
	almaty, _ := time.LoadLocation("Asia/Almaty")
	at := func(h, m int) time.Time { return time.Date(2026, 11, 25, h, m, 0, 0, almaty) }
	tests := []struct {
		name string
		now  time.Time
		last string
		want bool
	}{
		{"before her hour", at(8, 59), "", false},
		{"at her hour", at(9, 0), "", true},
		{"within the window", at(11, 59), "", true},
		{"after the window: tomorrow morning", at(12, 0), "", false},
		{"first contact at 22:00", at(22, 0), "", false},
		{"already sent today", at(9, 30), "2026-11-25", false},
		{"sent yesterday", at(9, 30), "2026-11-24", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Consultant{DigestHour: 9, Timezone: "Asia/Almaty", LastDigest: tt.last}
			if got := c.DigestDue(tt.now, "Europe/Moscow"); got != tt.want {
				t.Fatalf("DigestDue at %v (last %q) = %v, want %v", tt.now, tt.last, got, tt.want)
			}
		})
	}
}
