package charts

import (
	"bytes"
	"fmt"
	"image/png"
	"slices"
	"testing"
	"time"
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

// BenchmarkBars renders the report's revenue chart (twelve months) and
// fails when the median chart takes 150 ms or more (the median: the first
// one also parses the font, and one slow run on shared cores is no
// regression).
//
//	go test ./charts -run '^$' -bench Bars -benchtime 20x
func BenchmarkBars(b *testing.B) {
	const budget = 150 * time.Millisecond
	var bars []Bar
	for i := range 12 {
		bars = append(bars, Bar{fmt.Sprint("2026-", i+1), float64(100000 + i*7000)})
	}
	var lat []time.Duration
	for b.Loop() {
		t := time.Now()
		if err := Bars(&bytes.Buffer{}, "Түсім айлар бойынша", bars, func(v float64) string { return fmt.Sprintf("%.0f ₸", v) }); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	p50 := lat[(len(lat)-1)/2]
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	if p50 >= budget {
		b.Errorf("median chart %v, budget < %v", p50.Round(time.Millisecond), budget)
	}
}
