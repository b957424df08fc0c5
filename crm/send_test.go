package crm

import (
	"testing"
	"time"
)

func TestSendAtIsTheCustomersMorning(t *testing.T) {
	almaty, err := time.LoadLocation("Asia/Almaty")
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, almaty) }
	for _, c := range []struct {
		name          string
		now, day, out time.Time
	}{
		{"before the morning of today: at nine", at(27, 8, 0), at(27, 8, 0), at(27, 9, 0)},
		{"the morning of today has passed: now", at(27, 10, 15), at(27, 10, 0), at(27, 10, 15)},
		{"a later day: its nine", at(25, 18, 0), at(28, 10, 0), at(28, 9, 0)},
		{"an overdue day: today's nine", at(27, 7, 30), at(25, 10, 0), at(27, 9, 0)},
		{"an overdue day after nine: now", at(27, 12, 0), at(25, 10, 0), at(27, 12, 0)},
		{"a day written in UTC is read in her zone", at(27, 8, 0), time.Date(2026, 11, 26, 20, 0, 0, 0, time.UTC), at(27, 9, 0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := SendAt(c.now, c.day, almaty); !got.Equal(c.out) {
				t.Errorf("SendAt(%v, %v) = %v, want %v", c.now, c.day, got.In(almaty), c.out)
			}
		})
	}
}

func TestSendIDIsThePress(t *testing.T) {
	a := SendID("c1", OccasionFollowUp1, "r1")
	if a != SendID("c1", OccasionFollowUp1, "r1") {
		t.Error("the same press made two ids")
	}
	for _, other := range []string{SendID("c2", OccasionFollowUp1, "r1"), SendID("c1", OccasionFollowUp2, "r1"), SendID("c1", OccasionFollowUp1, "r2"), SendID("c1r", OccasionFollowUp1, "1")} {
		if other == a {
			t.Errorf("another press has the same id %s", a)
		}
	}
}
