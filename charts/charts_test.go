package charts

import (
	"bytes"
	"fmt"
	"image/png"
	"testing"
)

func TestBars(t *testing.T) {
	var buf bytes.Buffer
	bars := []Bar{{"қаң", 120000}, {"ақп", 95000}, {"нау", 143500}, {"Крем TimeWise", 30}}
	if err := Bars(&buf, "Түсім айлар бойынша", bars, func(v float64) string { return fmt.Sprintf("%.0f ₸", v) }); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 480 || b.Dy() != 480 {
		t.Fatalf("size %v", b)
	}
	if err := Bars(&bytes.Buffer{}, "empty", nil, func(float64) string { return "" }); err != nil {
		t.Fatalf("no data: %v", err)
	}
}

// BenchmarkBars: target < 150 ms per chart.
func BenchmarkBars(b *testing.B) {
	var bars []Bar
	for i := range 12 {
		bars = append(bars, Bar{fmt.Sprint("2026-", i+1), float64(100000 + i*7000)})
	}
	for b.Loop() {
		if err := Bars(&bytes.Buffer{}, "Revenue by month", bars, func(v float64) string { return fmt.Sprintf("%.0f", v) }); err != nil {
			b.Fatal(err)
		}
	}
}
