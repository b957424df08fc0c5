// Package ids makes the ids of what an update creates. Updates are delivered
// at least once (the inbox marks one done after its handler), so a crash
// between a write and the done-mark handles the update again: an id derived
// from the update (its id, the user and the n-th id asked for while handling
// it) makes the redelivery find what the first delivery made, where a fresh
// random id would make it twice.
package ids

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sync"
)

type key struct{}

// source numbers the ids asked for while handling one update.
type source struct {
	mu     sync.Mutex
	update int64
	user   int64
	seq    uint64
}

// ForUpdate returns ctx under which New derives its ids from the update
// (and the user who sent it, so that two bots' update ids never meet).
func ForUpdate(ctx context.Context, updateID, userID int64) context.Context {
	return context.WithValue(ctx, key{}, &source{update: updateID, user: userID})
}

// New returns a 16-character hex id: derived from the update under ctx (the
// same sequence of calls gives the same ids on a redelivery), random when
// ctx carries no update (a scheduled job, a command-line import).
func New(ctx context.Context) string {
	s, _ := ctx.Value(key{}).(*source)
	if s == nil {
		return Random()
	}
	s.mu.Lock()
	s.seq++
	n := s.seq
	s.mu.Unlock()
	return Derive("update", s.update, s.user, int64(n))
}

// Derive returns the 16-character hex id of a thing named by kind and
// parts (an import's row: the file's hash and the row number).
func Derive(kind string, parts ...int64) string {
	h := sha256.New()
	h.Write([]byte(kind))
	var b [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(b[:], uint64(p))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Random returns a random 16-character hex id.
func Random() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("ids: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}
