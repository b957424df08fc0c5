//go:build !killpoint

package main

import "github.com/crmbot/crmbot/store"

// storeHook is nil outside the kill tests' build (killpoint.go).
func storeHook() func(store.Store) store.Store { return nil }
