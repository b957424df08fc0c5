package crm

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// KindSend is a message the bot sends to a customer on the bot for the
// consultant ("send it for me"): kept as one of her reminders, so it is
// leased, sent and marked like one, survives a restart and shows in her
// list until it went. Its Params hold the customer's name, the occasion,
// the reminder or day the occasion is about and the text as it will go.
const KindSend ReminderKind = "send"

// Params of a KindSend reminder.
const (
	ParamOccasion = "occasion" // one of Occasions
	ParamRef      = "ref"      // the reminder the push was about, or the day of a date (SendDay)
	ParamText     = "text"     // the message as the customer will read it
)

// SendHour is the local hour of the customer's morning, when a message
// sent for her consultant goes.
const SendHour = 9

// Outcomes of a KindSend reminder, and of the 2+2+2 call it answered.
const (
	OutcomeSentByBot   = "sent_by_bot"
	OutcomeUnreachable = "unreachable" // she blocked the bot or withdrew her consent
	OutcomeMaybeSent   = "maybe_sent"  // an attempt was cut off mid-send: not sent again
)

// SendDayLayout is how the day of a birthday or date travels in a button.
const SendDayLayout = "20060102"

// SendAt is when a message for day goes: SendHour on that day in loc, or
// today's when day has passed, and now when that hour has passed too.
func SendAt(now, day time.Time, loc *time.Location) time.Time {
	local := now.In(loc)
	d := day.In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	at := time.Date(d.Year(), d.Month(), d.Day(), SendHour, 0, 0, 0, loc)
	if at.Before(today) {
		at = time.Date(today.Year(), today.Month(), today.Day(), SendHour, 0, 0, 0, loc)
	}
	if at.Before(now) {
		return now
	}
	return at
}

// SendID is the id of the message sent for her about occasion for the
// customer, ref being the reminder or day it is about: the same press,
// pressed twice or delivered twice, finds the one it made.
func SendID(customer, occasion, ref string) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{customer, occasion, ref}, "\x00")))
	return "send-" + hex.EncodeToString(sum[:8])
}
