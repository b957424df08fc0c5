package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseConfig(t *testing.T) {
	const token = "123456:ABCdefGHIjkl"
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string // substring naming the variable; "" means valid
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults", env: map[string]string{"TELEGRAM_BOT_TOKEN": token}, check: func(t *testing.T, c Config) {
			if c.DatabaseURL != "sqlite:crmbot.db" || c.Listen != "127.0.0.1:8080" || c.DefaultTimezone != "Asia/Almaty" ||
				c.DefaultLanguage != "ru" || c.APIURL != "https://api.telegram.org" || c.WebhookURL != "" || c.ImportMaxRows != 50000 {
				t.Errorf("defaults = %+v", c)
			}
		}},
		{name: "token missing", env: nil, wantErr: "TELEGRAM_BOT_TOKEN: is required"},
		{name: "token malformed", env: map[string]string{"TELEGRAM_BOT_TOKEN": "nonsense"}, wantErr: "TELEGRAM_BOT_TOKEN"},
		{name: "flag overrides env", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_DEFAULT_LANGUAGE": "kk"},
			args: []string{"-default-language", "en"}, check: func(t *testing.T, c Config) {
				if c.DefaultLanguage != "en" {
					t.Errorf("language = %q, want en", c.DefaultLanguage)
				}
			}},
		{name: "bad language", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_DEFAULT_LANGUAGE": "de"}, wantErr: "CRMBOT_DEFAULT_LANGUAGE"},
		{name: "bad timezone", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_DEFAULT_TIMEZONE": "Mars/Olympus"}, wantErr: "CRMBOT_DEFAULT_TIMEZONE"},
		{name: "bad database", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_DATABASE_URL": "postgres://x"}, wantErr: "CRMBOT_DATABASE_URL"},
		{name: "mongodb", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_DATABASE_URL": "mongodb+srv://u:p@h/db"}},
		{name: "bad listen", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_LISTEN": "8080"}, wantErr: "CRMBOT_LISTEN"},
		{name: "webhook without secret", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_WEBHOOK_URL": "https://example.com/tg"}, wantErr: "CRMBOT_WEBHOOK_SECRET"},
		{name: "webhook over http", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_WEBHOOK_URL": "http://example.com/tg", "CRMBOT_WEBHOOK_SECRET": "s3cret"}, wantErr: "CRMBOT_WEBHOOK_URL"},
		{name: "allowed users", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_ALLOWED_USERS": " 42, 7 "}, check: func(t *testing.T, c Config) {
			if len(c.AllowedUsers) != 2 || c.AllowedUsers[0] != 42 || c.AllowedUsers[1] != 7 {
				t.Errorf("allowed = %v", c.AllowedUsers)
			}
		}},
		{name: "allowed users malformed", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_ALLOWED_USERS": "42,bob"}, wantErr: `CRMBOT_ALLOWED_USERS: "bob"`},
		{name: "import row cap", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_IMPORT_MAX_ROWS": "150000"}, check: func(t *testing.T, c Config) {
			if c.ImportMaxRows != 150000 {
				t.Errorf("import max rows = %d, want 150000", c.ImportMaxRows)
			}
		}},
		{name: "import row cap malformed", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "CRMBOT_IMPORT_MAX_ROWS": "lots"}, wantErr: `CRMBOT_IMPORT_MAX_ROWS`},
		{name: "bad api url", env: map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": "api.telegram.org"}, wantErr: "TELEGRAM_API_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig(tt.args, func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, tt.wantErr)
				}
				for _, line := range strings.Split(err.Error(), "\n") {
					if !strings.Contains(line, ":") {
						t.Errorf("error line %q does not name a variable", line)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestLoggerMasksSecrets(t *testing.T) {
	cfg := Config{Token: "123456:SECRETtokenVALUE", WebhookSecret: "hooksecret", DatabaseURL: "mongodb://bob:dbpass@h/db", LogLevel: "debug"}
	var buf bytes.Buffer
	log := newLogger(&buf, cfg)
	log.Info("calling https://api.telegram.org/bot123456:SECRETtokenVALUE/getMe",
		"err", errors.New(`Post "https://api.telegram.org/bot123456:SECRETtokenVALUE/getMe": dial tcp: refused`),
		"dsn", "mongodb://bob:dbpass@h/db", "secret", "hooksecret")
	out := buf.String()
	for _, s := range []string{"SECRETtokenVALUE", "dbpass", "hooksecret"} {
		if strings.Contains(out, s) {
			t.Errorf("log line leaks %q: %s", s, out)
		}
	}
	if !strings.Contains(out, "xxxxx") {
		t.Errorf("log line was not masked: %s", out)
	}
}
