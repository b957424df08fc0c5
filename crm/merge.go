package crm

import (
	"slices"
	"strings"
)

// Merge folds drop into keep: keep's values win, drop fills what keep lacks;
// tags, important dates and wish lists are united; notes of both are kept.
// Totals stay keep's: they follow the orders, and the store brings them up
// to date when it moves drop's orders over (adding them here counted those
// orders twice). It is a pure function: the caller stores the result.
// Merging the same customer twice changes nothing.
func Merge(keep, drop Customer) Customer {
	if slices.Contains(keep.MergedFrom, drop.ID) {
		return keep
	}
	out := keep
	fill := func(dst *string, src string) {
		if strings.TrimSpace(*dst) == "" {
			*dst = src
		}
	}
	fill(&out.Phone, drop.Phone)
	fill(&out.Email, drop.Email)
	fill(&out.Address, drop.Address)
	fill(&out.Category, drop.Category)
	// Her own words (skin type, shades): a card made when she signed up
	// through the link brings them to the card she turns out to be.
	fill(&out.Preferences, drop.Preferences)
	if out.Birthday.IsZero() {
		out.Birthday = drop.Birthday
	} else if out.Birthday.Year == 0 && drop.Birthday.Month == out.Birthday.Month && drop.Birthday.Day == out.Birthday.Day {
		out.Birthday.Year = drop.Birthday.Year
	}
	switch {
	case strings.TrimSpace(drop.Notes) == "" || strings.Contains(out.Notes, drop.Notes):
	case strings.TrimSpace(out.Notes) == "":
		out.Notes = drop.Notes
	default:
		out.Notes = out.Notes + "\n" + drop.Notes
	}
	out.NoMail = keep.NoMail || drop.NoMail // a request to stop mail is never dropped
	out.Tags = union(keep.Tags, drop.Tags, strings.ToLower)
	out.Wishlist = union(keep.Wishlist, drop.Wishlist, strings.ToLower)
	out.ImportantDates = slices.Clone(keep.ImportantDates)
	for _, d := range drop.ImportantDates {
		if !slices.Contains(out.ImportantDates, d) {
			out.ImportantDates = append(out.ImportantDates, d)
		}
	}
	if drop.CreatedAt.Before(out.CreatedAt) && !drop.CreatedAt.IsZero() {
		out.CreatedAt = drop.CreatedAt
	}
	out.MergedFrom = append(slices.Clone(keep.MergedFrom), drop.ID)
	return out
}

// union appends to a copy of a the items of b not already there, comparing
// by key (nil: exact).
func union(a, b []string, key func(string) string) []string {
	if key == nil {
		key = func(s string) string { return s }
	}
	out := slices.Clone(a)
	seen := map[string]bool{}
	for _, s := range a {
		seen[key(s)] = true
	}
	for _, s := range b {
		if !seen[key(s)] {
			seen[key(s)] = true
			out = append(out, s)
		}
	}
	return out
}
