package pdf

import (
	"bytes"
	"fmt"
	"testing"
)

func TestLabels(t *testing.T) {
	var labels []Label
	for i := range 25 {
		labels = append(labels, Label{Name: fmt.Sprintf("Әлия Қасымова %d", i), Address: "Алматы, проспект Абая 150, кв. 12\nҚазақстан 050000"})
	}
	var buf bytes.Buffer
	if err := Labels(&buf, labels); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", out[:min(len(out), 20)])
	}
	// 25 labels on a 21-label sheet: two pages.
	if n := pageCount(out); n != 2 {
		t.Fatalf("%d pages, want 2", n)
	}
}

func BenchmarkLabels(b *testing.B) {
	var labels []Label
	for i := range 200 {
		labels = append(labels, Label{Name: fmt.Sprintf("Әлия Қасымова %d", i), Address: "Алматы, проспект Абая 150, кв. 12"})
	}
	for b.Loop() {
		if err := Labels(&bytes.Buffer{}, labels); err != nil {
			b.Fatal(err)
		}
	}
}

// pageCount counts page objects ("/Type /Page", not "/Type /Pages").
func pageCount(pdf []byte) int {
	return bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages"))
}
