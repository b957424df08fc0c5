// Package crm holds crmbot's domain: consultants, customers, orders,
// reminders and the rules between them. It imports only the standard library.
package crm

import "time"

// Clock tells the time. Domain code and jobs take a Clock so tests can run
// two months of follow-ups in milliseconds.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }
