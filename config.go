package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/crmbot/crmbot/crm"
)

// Config is every operator setting. Each comes from a flag, else the
// environment variable of the same name, else its default.
type Config struct {
	Token         string
	APIURL        string
	DatabaseURL   string
	Listen        string
	WebhookURL    string
	WebhookSecret string
	// PublicURL is the bot's public HTTPS base: /go/ links on it make the
	// outreach buttons one tap.
	PublicURL       string
	DefaultTimezone string
	DefaultLanguage string
	AllowedUsers    []int64
	LogLevel        string
	// ImportMaxRows caps the rows of one imported file.
	ImportMaxRows int
	// ImportLease is how long an import may go without a sign of life
	// before she is offered to resume it (a crash cut it short).
	ImportLease time.Duration
}

type setting struct {
	env, flag, def, help string
	dst                  *string
}

// rawConfig holds the settings that are parsed from text after reading.
type rawConfig struct {
	allowed, maxRows, importLease string
}

// configSettings lists every setting with where it lands in c or r.
func configSettings(c *Config, r *rawConfig) []setting {
	return []setting{
		{"TELEGRAM_BOT_TOKEN", "telegram-bot-token", "", "bot token from @BotFather (required)", &c.Token},
		{"TELEGRAM_API_URL", "telegram-api-url", "https://api.telegram.org", "Bot API server base URL", &c.APIURL},
		{"CRMBOT_DATABASE_URL", "database-url", "sqlite:crmbot.db", "sqlite:path or mongodb://...", &c.DatabaseURL},
		{"CRMBOT_LISTEN", "listen", "127.0.0.1:8080", "address for /healthz, /metrics and the webhook", &c.Listen},
		{"CRMBOT_WEBHOOK_URL", "webhook-url", "", "public HTTPS URL for webhook mode (empty: long polling)", &c.WebhookURL},
		{"CRMBOT_PUBLIC_URL", "public-url", "", "public HTTPS base URL of this bot's /go/ links (empty: outreach buttons answer with the link)", &c.PublicURL},
		{"CRMBOT_WEBHOOK_SECRET", "webhook-secret", "", "secret token Telegram sends with each webhook call", &c.WebhookSecret},
		{"CRMBOT_DEFAULT_TIMEZONE", "default-timezone", crm.DefaultTimezone, "IANA timezone for new consultants", &c.DefaultTimezone},
		{"CRMBOT_DEFAULT_LANGUAGE", "default-language", "ru", "ru, kk or en", &c.DefaultLanguage},
		{"CRMBOT_ALLOWED_USERS", "allowed-users", "", "comma-separated Telegram user ids (empty: anyone)", &r.allowed},
		{"CRMBOT_LOG_LEVEL", "log-level", "info", "debug, info, warn or error", &c.LogLevel},
		{"CRMBOT_IMPORT_MAX_ROWS", "import-max-rows", "50000", "most rows one imported file may have", &r.maxRows},
		{"CRMBOT_IMPORT_LEASE", "import-lease", "30s", "how long an import may go without a sign of life before it is taken for cut short and offered to resume", &r.importLease},
	}
}

// ParseConfig reads args and the environment (getenv). Each problem is one
// line naming the variable.
func ParseConfig(args []string, getenv func(string) string) (Config, error) {
	var c Config
	var r rawConfig
	if err := readSettings(configSettings(&c, &r), args, getenv); err != nil {
		return c, err
	}
	var p configProblems
	c.checkTelegram(&p)
	c.checkServer(&p)
	c.checkDefaults(&p, r)
	return c, errors.Join(p...)
}

// readSettings fills every setting from its flag, else its environment variable,
// else its default, trimmed.
func readSettings(settings []setting, args []string, getenv func(string) string) error {
	fs := flag.NewFlagSet("crmbot", flag.ContinueOnError)
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		help := fmt.Sprintf("%s (env %s)", s.help, s.env)
		if s.env == "TELEGRAM_BOT_TOKEN" || s.env == "CRMBOT_WEBHOOK_SECRET" {
			// Secrets: never print the value as a flag default.
			fs.StringVar(s.dst, s.flag, "", help)
			*s.dst = def
			continue
		}
		fs.StringVar(s.dst, s.flag, def, help)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, s := range settings {
		*s.dst = strings.TrimSpace(*s.dst)
	}
	return nil
}

// configProblems collects one line per bad setting, in the order checked.
type configProblems []error

func (p *configProblems) bad(env, format string, a ...any) {
	*p = append(*p, fmt.Errorf("%s: %s", env, fmt.Sprintf(format, a...)))
}

func (c *Config) checkTelegram(p *configProblems) {
	switch {
	case c.Token == "":
		p.bad("TELEGRAM_BOT_TOKEN", "is required (get one from @BotFather)")
	case !validToken(c.Token):
		p.bad("TELEGRAM_BOT_TOKEN", "does not look like a bot token (want <digits>:<secret>)")
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.bad("TELEGRAM_API_URL", "must be an http(s) URL, got %q", c.APIURL)
	}
}

func (c *Config) checkServer(p *configProblems) {
	if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "mongodb://") && !strings.HasPrefix(c.DatabaseURL, "mongodb+srv://") {
		p.bad("CRMBOT_DATABASE_URL", "must start with sqlite:, mongodb:// or mongodb+srv://")
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		p.bad("CRMBOT_LISTEN", "must be host:port, got %q", c.Listen)
	}
	if c.WebhookURL != "" {
		if u, err := url.Parse(c.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			p.bad("CRMBOT_WEBHOOK_URL", "must be an https URL")
		}
		if c.WebhookSecret == "" {
			p.bad("CRMBOT_WEBHOOK_SECRET", "is required with CRMBOT_WEBHOOK_URL")
		}
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || u.Scheme != "https" || u.Host == "" {
			p.bad("CRMBOT_PUBLIC_URL", "must be an https URL")
		}
	}
	if c.WebhookSecret != "" && !validSecret(c.WebhookSecret) {
		p.bad("CRMBOT_WEBHOOK_SECRET", "must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
	}
}

// checkDefaults checks the defaults for consultants and the limits, and
// parses the allow-list and the row cap into c.
func (c *Config) checkDefaults(p *configProblems, r rawConfig) {
	if _, err := time.LoadLocation(c.DefaultTimezone); err != nil || c.DefaultTimezone == "" {
		p.bad("CRMBOT_DEFAULT_TIMEZONE", "unknown IANA timezone %q", c.DefaultTimezone)
	}
	if !crm.IsLanguage(c.DefaultLanguage) {
		p.bad("CRMBOT_DEFAULT_LANGUAGE", "must be one of ru, kk, en, got %q", c.DefaultLanguage)
	}
	for _, f := range strings.Split(r.allowed, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			p.bad("CRMBOT_ALLOWED_USERS", "%q is not a Telegram user id", f)
			continue
		}
		c.AllowedUsers = append(c.AllowedUsers, id)
	}
	if n, err := strconv.Atoi(r.maxRows); err != nil || n < 1 || n > 1_000_000 {
		p.bad("CRMBOT_IMPORT_MAX_ROWS", "must be a number of rows from 1 to 1000000, got %q", r.maxRows)
	} else {
		c.ImportMaxRows = n
	}
	if d, err := time.ParseDuration(r.importLease); err != nil || d < time.Second || d > time.Hour {
		p.bad("CRMBOT_IMPORT_LEASE", "must be a duration from 1s to 1h, got %q", r.importLease)
	} else {
		c.ImportLease = d
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		p.bad("CRMBOT_LOG_LEVEL", "must be debug, info, warn or error")
	}
}

func validToken(t string) bool {
	id, secret, ok := strings.Cut(t, ":")
	if !ok || id == "" || len(secret) < 5 {
		return false
	}
	_, err := strconv.ParseInt(id, 10, 64)
	return err == nil && !strings.ContainsAny(t, " /?#")
}

func validSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// secrets are the values no log line may contain.
func (c Config) secrets() []string {
	s := []string{c.Token, c.WebhookSecret}
	if u, err := url.Parse(c.DatabaseURL); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			s = append(s, p)
		}
	}
	return s
}

func getenv(k string) string { return os.Getenv(k) }
