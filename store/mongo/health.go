package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crmbot/crmbot/store"
)

// CheckWrite proves the server takes a write (for /healthz): it upserts
// the one document of the health collection.
func (db *DB) CheckWrite(ctx context.Context, at time.Time) error {
	_, err := db.db.Collection("health").UpdateOne(ctx, bson.M{"_id": 1},
		bson.M{"$set": bson.M{"checked_at": at.UTC()}}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mongo: write check: %w", classify(err))
	}
	return nil
}

// classify marks an error that may pass as store.ErrUnavailable: the
// network, a timeout, no primary (a failover in progress), a full disk.
func classify(err error) error {
	if err == nil || errors.Is(err, store.ErrUnavailable) {
		return err
	}
	var se mongo.ServerError
	if mongo.IsNetworkError(err) || mongo.IsTimeout(err) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &se) && (se.HasErrorLabel("RetryableWriteError") || se.HasErrorCode(10107) ||
			se.HasErrorCode(13435) || se.HasErrorCode(11600) || se.HasErrorCode(91) || se.HasErrorCode(14031))) {
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return err
}
