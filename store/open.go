package store

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// Backend opens a store for the URL schemes it serves. Backends live in
// subpackages (store/sqlite, store/mongo) and are passed to Open explicitly,
// so there is no global driver registry.
type Backend struct {
	Schemes []string
	Open    func(ctx context.Context, url string) (Store, error)
}

// Open picks the backend whose scheme matches dsn ("sqlite:path",
// "mongodb://...", "mongodb+srv://...") and opens it. Schema and indexes are
// created idempotently by the backend.
func Open(ctx context.Context, dsn string, backends ...Backend) (Store, error) {
	scheme, _, ok := strings.Cut(dsn, ":")
	if !ok || scheme == "" {
		return nil, fmt.Errorf("open store: %q has no scheme (want sqlite:path or mongodb://...)", Redact(dsn))
	}
	for _, b := range backends {
		for _, s := range b.Schemes {
			if strings.EqualFold(s, scheme) {
				st, err := b.Open(ctx, dsn)
				if err != nil {
					return nil, fmt.Errorf("open store %s: %w", Redact(dsn), err)
				}
				return st, nil
			}
		}
	}
	return nil, fmt.Errorf("open store: unsupported scheme %q", scheme)
}

// Redact hides the password in a database URL so it can be logged.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
