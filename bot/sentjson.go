package bot

import "bytes"

// sendMessage's answer echoes the whole text and its entities, which
// sentMessage skips; json.Unmarshal still validates them first and then
// walks them again to skip them, byte by byte through its state machine
// (a third of a /help reply's CPU in the client). withoutEcho cuts them
// out of the answer before it is decoded, in one plain pass that only
// looks for the ends of strings and brackets.

// echoed are the members of a sent message that nothing reads (see
// sentMessage).
var echoed = [...]string{"text", "entities"}

// withoutEcho returns body with the members text and entities of its
// top-level "result" object taken out, in place (body's bytes are moved).
// What it does not read as it expects — not an object, a key written
// with escapes, anything malformed — it leaves as it is, for Unmarshal to
// decode or refuse as before.
func withoutEcho(body []byte) []byte {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return body
	}
	for i = skipSpace(body, i+1); i < len(body) && body[i] == '"'; {
		key, v, ok := member(body, i)
		if !ok {
			return body
		}
		end := skipValue(body, v)
		if end < 0 {
			return body
		}
		if string(key) == "result" && body[v] == '{' {
			return dropMembers(body, v)
		}
		if i = skipSpace(body, end); i >= len(body) || body[i] != ',' {
			return body
		}
		i = skipSpace(body, i+1)
	}
	return body
}

// dropMembers takes the echoed members out of the object at b[open],
// moving the members kept (and what follows the object) over them; b
// unchanged when the object does not read as expected or has neither.
func dropMembers(b []byte, open int) []byte {
	type span struct{ from, to int }
	var kept [32]span // a sent message has a dozen members
	spans := kept[:0]
	dropped := false
	i := skipSpace(b, open+1)
	for {
		if i >= len(b) {
			return b
		}
		if b[i] == '}' && len(spans) == 0 && !dropped {
			return b // {}
		}
		if b[i] != '"' {
			return b
		}
		key, v, ok := member(b, i)
		if !ok {
			return b
		}
		end := skipValue(b, v)
		if end < 0 {
			return b
		}
		if isEchoed(key) {
			dropped = true
		} else {
			spans = append(spans, span{i, end})
		}
		next := skipSpace(b, end)
		if next >= len(b) {
			return b
		}
		switch b[next] {
		case ',':
			i = skipSpace(b, next+1)
			continue
		case '}':
			if !dropped {
				return b
			}
			w := open + 1
			for k, s := range spans {
				if k > 0 {
					b[w] = ','
					w++
				}
				w += copy(b[w:], b[s.from:s.to])
			}
			w += copy(b[w:], b[next:])
			return b[:w]
		}
		return b
	}
}

func isEchoed(key []byte) bool {
	for _, e := range echoed {
		if string(key) == e {
			return true
		}
	}
	return false
}

// member reads the member whose key starts at b[i] ('"'): its key (as
// written; ok=false when it has escapes) and where its value starts.
func member(b []byte, i int) (key []byte, value int, ok bool) {
	end := skipString(b, i)
	if end < 0 {
		return nil, 0, false
	}
	key = b[i+1 : end-1]
	if bytes.IndexByte(key, '\\') >= 0 {
		return nil, 0, false
	}
	j := skipSpace(b, end)
	if j >= len(b) || b[j] != ':' {
		return nil, 0, false
	}
	j = skipSpace(b, j+1)
	if j >= len(b) {
		return nil, 0, false
	}
	return key, j, true
}

// skipValue returns the index past the JSON value that starts at b[i], or
// -1 when it does not end.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		// Entities are many short strings: one pass over the bytes, with
		// a table of the few that matter, beats a search per string.
		depth, in := 0, false
		for ; i < len(b); i++ {
			c := b[i]
			if !structural[c] {
				continue
			}
			switch {
			case in && c == '\\':
				i++
			case c == '"':
				in = !in
			case in:
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	// A number, true, false or null: up to what ends it.
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
		i++
	}
	return i
}

// structural tells the bytes skipValue stops at inside an object or array.
var structural = func() (t [256]bool) {
	for _, c := range `"\{}[]` {
		t[c] = true
	}
	return t
}()

// skipString returns the index past the string whose quote is b[i], or -1:
// its end is the first quote after an even number of backslashes.
func skipString(b []byte, i int) int {
	for from := i + 1; ; {
		q := bytes.IndexByte(b[from:], '"')
		if q < 0 {
			return -1
		}
		q += from
		k := q
		for k > from && b[k-1] == '\\' {
			k--
		}
		if (q-k)%2 == 0 {
			return q + 1
		}
		from = q + 1
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
