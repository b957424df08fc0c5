package crm

import "time"

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
