//go:build !unix

package handlers_test

import (
	"testing"
	"time"
)

// processCPU is unknown here: CPU per update reads 0.
func processCPU(*testing.B) time.Duration { return 0 }
