package bottest

import (
	"strings"
	"testing"
)

func TestRenderHTML(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{"plain", "hello", "hello", ""},
		{"tags and entities", `<b>Dana</b> &lt;3 <a href="https://x">link</a> &amp; &#39;q&#39;`, "Dana <3 link & 'q'", ""},
		{"spoiler span", `<span class="tg-spoiler">s</span>`, "s", ""},
		{"bare ampersand", "Tom & Jerry", "Tom & Jerry", ""},
		{"unescaped less-than", "a < b", "", "Unsupported start tag"},
		{"unknown tag", "<div>x</div>", "", `Unsupported start tag "div"`},
		{"unclosed", "<b>x", "", `Can't find end tag corresponding to start tag "b"`},
		{"misnested", "<b><i>x</b></i>", "", "Unexpected end tag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := render(tt.in, "HTML")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q %v, want %q", got, err, tt.want)
			}
		})
	}
}
