package main

import (
	"io"
	"log/slog"
	"strings"
)

// newLogger returns a JSON logger that masks every secret in cfg (the bot
// token, the webhook secret, database passwords) wherever it appears.
func newLogger(w io.Writer, cfg Config) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	var secrets []string
	for _, s := range cfg.secrets() {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	mask := func(s string) string {
		for _, sec := range secrets {
			s = strings.ReplaceAll(s, sec, "xxxxx")
		}
		return s
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level: lvl,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch v := a.Value.Any().(type) {
			case string:
				a.Value = slog.StringValue(mask(v))
			case error:
				a.Value = slog.StringValue(mask(v.Error()))
			case interface{ String() string }:
				a.Value = slog.StringValue(mask(v.String()))
			}
			return a
		},
	}))
}
