package crm

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
)

// NewID returns a random 16-character hex id. Ids are short so that callback
// data stays inside Telegram's 64-byte limit.
func NewID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crm: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// Date is a calendar date whose year may be unknown (Year == 0), as with a
// birthday given as "12.03".
type Date struct {
	Year  int        `json:"y,omitempty" bson:"y,omitempty"`
	Month time.Month `json:"m" bson:"m"`
	Day   int        `json:"d" bson:"d"`
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.Month == 0 && d.Day == 0 }

// Validate checks that the day exists in the month (29 February is allowed
// without a year).
func (d Date) Validate() error {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return Invalid("date", "err.date", nil)
	}
	year := d.Year
	if year == 0 {
		year = 2000 // a leap year, so 29.02 without a year is accepted
	}
	if d.Day > daysIn(d.Month, year) {
		return Invalid("date", "err.date", nil)
	}
	if d.Year != 0 && (d.Year < 1900 || d.Year > 2200) {
		return Invalid("date", "err.date_year", nil)
	}
	return nil
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// ImportantDate is a labelled date in a customer's life (anniversary,
// a child's birthday...).
type ImportantDate struct {
	Label string `json:"label" bson:"label"`
	Date  Date   `json:"date" bson:"date"`
}

// CustomerTotals are derived from a customer's orders (TotalsOf) and kept
// on her for lists, filters and search, so neither backend has to join
// orders to customers. The store brings them up to date on every order
// write (store.Orders); nothing else should set them.
type CustomerTotals struct {
	Orders int `json:"orders" bson:"orders"`
	// Revenue adds every currency's minor units: it is money only when
	// Money has one line (it ranks customers); what is shown is Money.
	Revenue int64 `json:"revenue" bson:"revenue"`
	// Money is her orders and revenue per currency, the most orders first
	// (then by code): amounts in two currencies are never added up.
	Money       []CurrencyTotal `json:"money,omitempty" bson:"money,omitempty"`
	LastOrderAt *time.Time      `json:"last_order_at,omitempty" bson:"last_order_at,omitempty"`
	// Products are the distinct product names of her orders (for search).
	Products []string `json:"products,omitempty" bson:"products,omitempty"`
	// OrderStatuses and PaymentStatuses are the distinct statuses of her
	// orders, archived ones too (for the /find filters); a cancelled order
	// adds its order status only.
	OrderStatuses   []string `json:"order_statuses,omitempty" bson:"order_statuses,omitempty"`
	PaymentStatuses []string `json:"payment_statuses,omitempty" bson:"payment_statuses,omitempty"`
}

// CurrencyTotal is a customer's orders in one currency. Currency is empty
// for orders saved before orders kept one (they are in the consultant's).
type CurrencyTotal struct {
	Currency string `json:"currency" bson:"currency"`
	Orders   int    `json:"orders" bson:"orders"`
	Revenue  int64  `json:"revenue" bson:"revenue"` // minor units
}

// Customer is one person in a consultant's client book. Customers are never
// deleted, only archived.
type Customer struct {
	ID             string
	Owner          int64
	FirstName      string
	LastName       string
	Phone          string // E.164
	Email          string
	Telegram       string // her Telegram username, without "@"
	Language       string // the language to write to her in; "" = the consultant's
	NoMail         bool   // asked to stop receiving mail
	Birthday       Date
	Address        string
	Notes          string
	Preferences    string // hers, in her words: skin type, shades (Notes are the consultant's)
	Tags           []string
	ImportantDates []ImportantDate
	Wishlist       []string
	Category       string
	Archived       bool
	Source         string // how she was added: line, form, contact, import
	// Complaints are her open complaints, until resolved.
	Complaints []OpenComplaint
	// MergedInto is set on a customer merged into another (she is archived);
	// MergedFrom lists the customers merged into this one.
	MergedInto string
	MergedFrom []string
	Totals     CustomerTotals
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Customer sources.
const (
	SourceLine    = "line"
	SourceForm    = "form"
	SourceContact = "contact"
	SourceImport  = "import"
)

// MaxTags and MaxTextLen bound what one customer holds.
const (
	MaxTags    = 20
	MaxTextLen = 4000
	MaxNameLen = 100
)

// FullName is "First Last".
func (c *Customer) FullName() string {
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// Validate checks the rules every stored customer obeys. Phone and email
// formats are checked where they are parsed; here only presence rules.
func (c *Customer) Validate() error {
	if c.Owner == 0 {
		return Invalid("owner", "err.owner", nil)
	}
	if strings.TrimSpace(c.FirstName) == "" {
		return Invalid("first_name", "err.first_name_required", nil)
	}
	// A phone book often has no surname: imported contacts may lack one.
	if strings.TrimSpace(c.LastName) == "" && c.Source != SourceImport {
		return Invalid("last_name", "err.last_name_required", nil)
	}
	if !hasLetter(c.FirstName) || (c.LastName != "" && !hasLetter(c.LastName)) {
		return Invalid("name", "err.name_letters", nil)
	}
	if len([]rune(c.FirstName)) > MaxNameLen || len([]rune(c.LastName)) > MaxNameLen {
		return Invalid("name", "err.too_long", map[string]any{"Max": MaxNameLen})
	}
	if len([]rune(c.Notes)) > MaxTextLen || len([]rune(c.Address)) > MaxTextLen {
		return Invalid("notes", "err.too_long", map[string]any{"Max": MaxTextLen})
	}
	if len(c.Tags) > MaxTags {
		return Invalid("tags", "err.too_many_tags", map[string]any{"Max": MaxTags})
	}
	if !c.Birthday.IsZero() {
		if err := c.Birthday.Validate(); err != nil {
			return Invalid("birthday", "err.birthday", nil)
		}
	}
	for _, d := range c.ImportantDates {
		if strings.TrimSpace(d.Label) == "" || d.Date.Validate() != nil {
			return Invalid("important_dates", "err.important_date", nil)
		}
	}
	return nil
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
