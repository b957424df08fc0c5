package book_test

import "time"

// start is 25 November 2026, 10:00 in Almaty (a Wednesday): the clock of
// the book's tests.
var start = time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)
