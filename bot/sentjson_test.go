package bot

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestWithoutEchoDecodesAsBefore: an answer to sendMessage with its text
// and entities cut out decodes into the same Message as the whole answer,
// whatever the members' order and spacing, and what the cut does not read
// as it expects is left as it was.
func TestWithoutEchoDecodesAsBefore(t *testing.T) {
	help := strings.Repeat(`<b>Клиенты</b> — /customers: \"список\", {поиск} и [карточка].\n`, 5)
	tests := []struct {
		name, answer string
		want         string // the answer after the cut; "" when it is left as it is
	}{
		{"as Telegram writes it",
			`{"ok":true,"result":{"message_id":9,"from":{"id":1,"is_bot":true,"first_name":"CRM"},"chat":{"id":42,"type":"private"},"date":1700000000,"text":"` + help + `","entities":[{"type":"bold","offset":0,"length":7}]}}`,
			`{"ok":true,"result":{"message_id":9,"from":{"id":1,"is_bot":true,"first_name":"CRM"},"chat":{"id":42,"type":"private"},"date":1700000000}}`},
		{"text first, entities between",
			`{"ok":true,"result":{"text":"hi","message_id":9,"entities":[],"chat":{"id":42,"type":"private"}}}`,
			`{"ok":true,"result":{"message_id":9,"chat":{"id":42,"type":"private"}}}`},
		{"spaces and new lines",
			"{ \"ok\" : true ,\n \"result\" : { \"message_id\" : 9 ,\n \"text\" : \"hi\" ,\n \"reply_markup\" : {\"inline_keyboard\":[[{\"text\":\"OK\",\"callback_data\":\"x]}\"}]]} } }",
			`{ "ok" : true ,
 "result" : {"message_id" : 9,"reply_markup" : {"inline_keyboard":[[{"text":"OK","callback_data":"x]}"}]]}} }`},
		{"only the text",
			`{"ok":true,"result":{"text":"hi"}}`,
			`{"ok":true,"result":{}}`},
		{"the reply's own text kept",
			`{"ok":true,"result":{"message_id":9,"reply_to_message":{"message_id":8,"text":"earlier"},"text":"` + help + `"}}`,
			`{"ok":true,"result":{"message_id":9,"reply_to_message":{"message_id":8,"text":"earlier"}}}`},
		{"result after description",
			`{"description":"{\"text\"","ok":true,"result":{"text":"hi","message_id":3}}`,
			`{"description":"{\"text\"","ok":true,"result":{"message_id":3}}`},
		{"backslashes before quotes",
			`{"ok":true,"result":{"text":"a\\\\","caption":"b\\\\\"c\\\\","entities":[{"url":"x\\\\"}],"message_id":9}}`,
			`{"ok":true,"result":{"caption":"b\\\\\"c\\\\","message_id":9}}`},
		{"nothing to cut", `{"ok":true,"result":{"message_id":9}}`, ""},
		{"an error", `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`, ""},
		{"a key with escapes", `{"ok":true,"result":{"t\u0065xt":"hi","message_id":9}}`, ""},
		{"cut short", `{"ok":true,"result":{"message_id":9,"text":"hi`, ""},
		{"a key twice", `{"ok":true,"result":{"text":"a","text":"b","message_id":9}}`, `{"ok":true,"result":{"message_id":9}}`},
		{"not an object", `[1,2]`, ""},
		{"empty", ``, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(withoutEcho([]byte(tt.answer)))
			want := tt.want
			if want == "" {
				want = tt.answer
			}
			if got != want {
				t.Fatalf("cut\n%s\ngot\n%s\nwant\n%s", tt.answer, got, want)
			}
			var whole, cut apiReply[sentMessage]
			errWhole := json.Unmarshal([]byte(tt.answer), &whole)
			errCut := json.Unmarshal([]byte(got), &cut)
			if (errWhole == nil) != (errCut == nil) {
				t.Fatalf("decoding the whole: %v; the cut: %v", errWhole, errCut)
			}
			if !reflect.DeepEqual(whole, cut) {
				t.Fatalf("decoded\n%+v\nfrom the whole, and\n%+v\nfrom the cut", whole, cut)
			}
		})
	}
}

// BenchmarkWithoutEcho: the cut of a /help-sized answer (its text and
// thirty entities, as /help has) against json.Unmarshal's validation of
// it, and the answer decoded into a sentMessage whole (as before) and cut.
//
//	go test ./bot -run '^$' -bench WithoutEcho -benchmem
func BenchmarkWithoutEcho(b *testing.B) {
	answer := []byte(`{"ok":true,"result":{"message_id":9,"from":{"id":1,"is_bot":true,"first_name":"CRM"},"date":1700000000,"chat":{"id":42,"type":"private"},"text":"` +
		strings.Repeat("Клиенты и заказы \\n", 50) + `","entities":[` + strings.TrimSuffix(strings.Repeat(`{"type":"bot_command","offset":0,"length":7},`, 30), ",") + `]}}`)
	buf := make([]byte, len(answer))
	b.Run("cut", func(b *testing.B) {
		for b.Loop() {
			copy(buf, answer)
			withoutEcho(buf)
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		for b.Loop() {
			json.Valid(answer)
		}
	})
	for _, side := range []struct {
		name string
		cut  bool
	}{{"decode whole", false}, {"decode cut", true}} {
		b.Run(side.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				body := buf[:copy(buf, answer)]
				if side.cut {
					body = withoutEcho(body)
				}
				var r apiReply[sentMessage]
				if err := json.Unmarshal(body, &r); err != nil || r.Result.MessageID != 9 {
					b.Fatal(err, r.Result)
				}
			}
		})
	}
}
