package timeword

import (
	"testing"
	"time"
)

// TestPastDay: days said as past ones, in ru, kk and en, as days from
// today (Wednesday 25 November 2026).
func TestPastDay(t *testing.T) {
	now := time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"вчера", -1, true}, {"Вчера.", -1, true}, {"вчера вечером", -1, true}, {"сегодня утром", 0, true},
		{"позавчера", -2, true}, {"в понедельник", -2, true}, {"во вторник", -1, true}, {"в среду", 0, true},
		{"в прошлую среду", -7, true}, {"в четверг", -6, true}, {"3 дня назад", -3, true}, {"неделю назад", -7, true},
		{"кеше", -1, true}, {"Кеше кешке", -1, true}, {"бүгін", 0, true}, {"алдыңгүні", -2, true},
		{"дүйсенбіде", -2, true}, {"дүйсенбі күні", -2, true}, {"өткен сәрсенбіде", -7, true}, {"2 күн бұрын", -2, true},
		{"yesterday", -1, true}, {"yesterday evening", -1, true}, {"last Monday", -2, true}, {"on Tuesday", -1, true},
		{"2 days ago", -2, true}, {"a week ago", -7, true},
		{"завтра", 1, true}, // the caller refuses a future day
		{"", 0, false}, {"вчера Жанна", 0, false}, {"в понедельник 10:00 x", 0, false}, {"3 дня", 0, false}, {"25.11", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := PastDay(tt.in, now)
			if ok != tt.ok || ok && got != tt.want {
				t.Errorf("PastDay(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
