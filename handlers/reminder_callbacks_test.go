package handlers

import (
	"testing"

	"github.com/crmbot/crmbot/crm"
)

// The reminder buttons keep their wire format (buttons already in chats
// keep working) and fit Telegram's 64 bytes with the longest reminder id, a
// refill hint's "<order>-rep-<product>".
func TestReminderCallbackData(t *testing.T) {
	longest := crm.NewID() + "-rep-" + crm.NewID()
	customer := crm.NewID()
	for _, tc := range []struct {
		name string
		a    action
		args []string
		want string
	}{
		{"done", reminderDone, []string{"o1-f1"}, "r:d:o1-f1"},
		{"snooze", reminderSnooze, []string{"o1-f1", crm.SnoozeTomorrow}, "r:s:o1-f1:tomorrow"},
		{"outcome", reminderOutcome, []string{"o1-f1", "no_answer"}, "r:o:o1-f1:no_answer"},
		{"cancel", reminderCancel, []string{"abc"}, "r:x:abc"},
		{"show", reminderShow, []string{"abc"}, "r:v:abc"},
		{"delete", reminderDelete, []string{"abc"}, "r:rm:abc"},
		{"about", reminderAbout, []string{"abc", customer}, "r:t:abc:" + customer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.data(tc.args...); got != tc.want {
				t.Fatalf("data = %q, want %q", got, tc.want)
			}
			p := parsePress(tc.want)
			if !p.is(tc.a) || p.arg(0) != tc.args[0] || p.arg(1) != append(tc.args, "")[1] {
				t.Fatalf("parsePress(%q) = %+v", tc.want, p)
			}
			long := append([]string{longest}, tc.args[1:]...)
			if n := len(tc.a.data(long...)); n > 64 {
				t.Fatalf("%d bytes with the longest id", n)
			}
		})
	}
}
