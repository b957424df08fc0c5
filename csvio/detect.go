// Package csvio reads customer lists from the files consultants drop into
// the chat (CSV from Google, Outlook, Excel in any of the usual encodings;
// vCard from iPhone and Android) and writes exports back. Reading streams:
// the file is never held in memory whole.
package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/crmbot/crmbot/crm"
)

// Encodings a file can be in.
const (
	UTF8    = "UTF-8"
	UTF16LE = "UTF-16LE"
	UTF16BE = "UTF-16BE"
	CP1251  = "Windows-1251"
)

// sniffSize is how much of the file is looked at to detect its format.
const sniffSize = 64 << 10

// decode detects the encoding from the start of the file and returns a
// reader of UTF-8 text without a byte order mark.
func decode(br *bufio.Reader) (io.Reader, string, error) {
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", err
	}
	switch {
	case len(bytes.TrimSpace(head)) == 0:
		return nil, "", crm.Invalid("file", "import.empty", nil)
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		return br, UTF8, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), UTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), UTF16BE, nil
	case looksUTF16LE(head):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()), UTF16LE, nil
	case looksUTF16BE(head):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()), UTF16BE, nil
	case isBinary(head):
		return nil, "", crm.Invalid("file", "import.binary", nil)
	case validUTF8Prefix(head):
		return br, UTF8, nil
	default:
		return transform.NewReader(br, charmap.Windows1251.NewDecoder()), CP1251, nil
	}
}

// validUTF8Prefix reports valid UTF-8, allowing a rune cut at the end of
// the sniffed window.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 4 && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// looksUTF16LE spots UTF-16LE text without a BOM: ASCII with every other
// byte zero.
func looksUTF16LE(b []byte) bool { return looksUTF16(b, 1) }

// looksUTF16BE is looksUTF16LE for big-endian text: the zero bytes come
// first.
func looksUTF16BE(b []byte) bool { return looksUTF16(b, 0) }

func looksUTF16(b []byte, first int) bool {
	if len(b) < 8 {
		return false
	}
	zeros := 0
	for i := first; i < len(b) && i < 512; i += 2 {
		if b[i] == 0 {
			zeros++
		}
	}
	return zeros*2 > min(len(b), 512)/2*9/10
}

// isBinary reports a file that is no text in any supported encoding: NUL
// bytes or many control characters.
func isBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctrl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctrl++
		}
	}
	return ctrl > len(b)/20+1
}

// sniffDelimiter picks the delimiter (comma, semicolon, tab) that splits the
// first lines most consistently into more than one field.
func sniffDelimiter(sample string) rune {
	best, bestScore := ',', -1
	for _, d := range []rune{';', ',', '\t'} {
		r := csv.NewReader(strings.NewReader(sample))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = d, -1, true
		counts := map[int]int{}
		lines := 0
		for lines < 20 {
			rec, err := r.Read()
			if err != nil {
				break
			}
			lines++
			if len(rec) > 1 {
				counts[len(rec)]++
			}
		}
		score := 0
		for n, c := range counts {
			if s := c * 100 / max(lines, 1) * min(n, 20); s > score {
				score = s
			}
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}
