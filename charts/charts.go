// Package charts draws the report's pictures as PNG (bars, with
// github.com/wcharczuk/go-chart and the DejaVu font for Kazakh letters).
package charts

import (
	"fmt"
	"io"
	"sync"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"github.com/crmbot/crmbot/fonts"
)

var (
	fontOnce sync.Once
	font     *truetype.Font
	fontErr  error
)

func loadFont() (*truetype.Font, error) {
	fontOnce.Do(func() { font, fontErr = truetype.Parse(fonts.Regular) })
	return font, fontErr
}

// Bar is one bar: its label and value.
type Bar struct {
	Label string
	Value float64
}

// Bars writes a bar chart as PNG. format renders a value on the axis.
func Bars(w io.Writer, title string, bars []Bar, format func(float64) string) error {
	f, err := loadFont()
	if err != nil {
		return fmt.Errorf("charts: font: %w", err)
	}
	if len(bars) == 0 {
		bars = []Bar{{Label: "—", Value: 0}}
	}
	values := make([]chart.Value, len(bars))
	top := 0.0
	for i, b := range bars {
		values[i] = chart.Value{Label: b.Label, Value: b.Value}
		top = max(top, b.Value)
	}
	if top == 0 {
		top = 1
	}
	width := min(max(120+90*len(bars), 480), 1400)
	bc := chart.BarChart{
		Title:      title,
		TitleStyle: chart.Style{FontSize: 14},
		Font:       f,
		Width:      width,
		Height:     480,
		BarWidth:   60,
		Background: chart.Style{Padding: chart.Box{Top: 50, Left: 20, Right: 20, Bottom: 20}},
		YAxis: chart.YAxis{
			Range:          &chart.ContinuousRange{Min: 0, Max: top * 1.1},
			ValueFormatter: func(v any) string { return format(v.(float64)) },
		},
		Bars: values,
	}
	for i := range bc.Bars {
		bc.Bars[i].Style = chart.Style{FillColor: drawing.ColorFromHex("d6336c"), StrokeColor: drawing.ColorFromHex("a61e4d")}
	}
	if err := bc.Render(chart.PNG, w); err != nil {
		return fmt.Errorf("charts: render %q: %w", title, err)
	}
	return nil
}
