package mongo

import (
	"context"
	"errors"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/crmbot/crmbot/store"
)

// TestClassifyUnavailable: a timeout, not-primary or a full disk may pass
// (store.ErrUnavailable); a duplicate key or a plain error does not.
func TestClassifyUnavailable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"deadline", context.DeadlineExceeded, true},
		{"not primary", mongo.CommandError{Code: 10107, Name: "NotWritablePrimary"}, true},
		{"disk full", mongo.CommandError{Code: 14031, Name: "OutOfDiskSpace"}, true},
		{"duplicate key", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000}}}, false},
		{"plain", errors.New("bad"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(classify(tt.err), store.ErrUnavailable); got != tt.want {
				t.Errorf("classify(%v) unavailable = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
