package bot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"

	"github.com/dealpilot/dealpilot/bot/report"
)

// Chart geometry, in pixels.
const (
	chartHeight = 360
	chartMargin = 24
	chartBar    = 14 // one bar; a rep has three side by side
	chartGap    = 12 // between reps
	chartMaxW   = 4000
)

// Chart colours: won, commit and best case bars, the quota tick, the axis.
var (
	colWon    = color.RGBA{0x1b, 0x5e, 0x20, 0xff}
	colCommit = color.RGBA{0x43, 0xa0, 0x47, 0xff}
	colBest   = color.RGBA{0xa5, 0xd6, 0xa7, 0xff}
	colQuota  = color.RGBA{0xc6, 0x28, 0x28, 0xff}
	colAxis   = color.RGBA{0x61, 0x61, 0x61, 0xff}
)

// forecastChart draws the forecast against the quota per rep, in the
// table's order: for each rep three bars (won, commit, best case) and a red
// tick at the quota, on a common scale. It uses only the standard library;
// the labels are the table's, next to the chart in Slack.
func forecastChart(rows []report.Row) ([]byte, error) {
	per := 3*chartBar + chartGap
	w := 2*chartMargin + max(1, len(rows))*per
	bar := chartBar
	if w > chartMaxW { // very large teams: thinner bars
		bar = max(1, (chartMaxW-2*chartMargin)/max(1, len(rows))/4)
		per = 4 * bar
		w = 2*chartMargin + len(rows)*per
	}
	img := image.NewRGBA(image.Rect(0, 0, w, chartHeight))
	fill(img, img.Bounds(), color.White)
	var top int64 = 1
	for _, r := range rows {
		top = max(top, r.Line.BestCase, r.Line.Quota, r.Line.Won)
	}
	base := chartHeight - chartMargin
	plot := base - chartMargin
	height := func(v int64) int {
		if v <= 0 {
			return 0
		}
		return int(float64(v) / float64(top) * float64(plot))
	}
	fill(img, image.Rect(chartMargin/2, base, w-chartMargin/2, base+2), colAxis)
	for i, r := range rows {
		x := chartMargin + i*per
		for j, b := range []struct {
			v int64
			c color.Color
		}{{r.Line.Won, colWon}, {r.Line.Commit, colCommit}, {r.Line.BestCase, colBest}} {
			x0 := x + j*bar
			fill(img, image.Rect(x0, base-height(b.v), x0+bar-1, base), b.c)
		}
		if r.Line.HasQuota {
			y := base - height(r.Line.Quota)
			fill(img, image.Rect(x-2, y-1, x+3*bar+2, y+2), colQuota)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Set(x, y, c)
		}
	}
}
