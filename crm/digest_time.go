package crm

import "time"

// DigestWindow is how long after her hour the morning digest may still go.
// One that could not go by then (she first wrote to the bot in the
// evening, the bot was down all morning) waits for the next morning: a
// "good morning" at 22:00 reads as a mistake.
const DigestWindow = 3 * time.Hour

// DigestDue reports whether her digest is to go at now: today's is not sent
// and now is within DigestWindow of today's hour (in her timezone, def when
// she set none).
func (c Consultant) DigestDue(now time.Time, def string) bool {
	local := now.In(c.Location(def))
	at := time.Date(local.Year(), local.Month(), local.Day(), c.DigestHour, 0, 0, 0, local.Location())
	return c.LastDigest != local.Format("2006-01-02") && !local.Before(at) && local.Before(at.Add(DigestWindow))
}

// NextDigestAt is when her digest is next to be looked at, seen at now:
// today at her hour while that hour has not come and today's digest is not
// sent, else tomorrow at her hour (in her timezone, def when she set none).
func (c Consultant) NextDigestAt(now time.Time, def string) time.Time {
	local := now.In(c.Location(def))
	day := local.Format("2006-01-02")
	at := time.Date(local.Year(), local.Month(), local.Day(), c.DigestHour, 0, 0, 0, local.Location())
	if local.Hour() < c.DigestHour && c.LastDigest != day {
		return at.UTC()
	}
	return time.Date(local.Year(), local.Month(), local.Day()+1, c.DigestHour, 0, 0, 0, local.Location()).UTC()
}
