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

// Redact hides the password in a database URL so it can be logged. A URL
// Go's parser rejects (a password with an unescaped '#', '/' or '%') is
// masked too: whatever stands between "scheme://user:" and the last '@'
// before the host is the password.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return redactRaw(dsn)
	}
	if u.User == nil {
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// redactRaw masks user:password@ in a URL that does not parse.
func redactRaw(dsn string) string {
	scheme, user, pass, host, ok := splitUserinfo(dsn)
	if !ok || pass == "" {
		return dsn
	}
	return scheme + user + ":xxxxx" + host
}

// splitUserinfo cuts a URL Go's parser may reject into scheme ("x://"),
// user, password and what follows the userinfo ("@host..."), taking the
// last '@' as the end of the password.
func splitUserinfo(dsn string) (scheme, user, pass, host string, ok bool) {
	rest := dsn
	if i := strings.Index(dsn, "://"); i >= 0 {
		scheme, rest = dsn[:i+3], dsn[i+3:]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return "", "", "", "", false
	}
	user, pass, ok = strings.Cut(rest[:at], ":")
	return scheme, user, pass, rest[at:], ok
}

// URLPassword is the password in a database URL ("" when none), found
// even when Go's URL parser rejects the URL, so an error that quotes it
// can be masked.
func URLPassword(dsn string) string {
	if u, err := url.Parse(dsn); err == nil {
		if u.User == nil {
			return ""
		}
		pw, _ := u.User.Password()
		return pw
	}
	_, _, pass, _, _ := splitUserinfo(dsn)
	return pass
}
