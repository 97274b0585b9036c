package report

import (
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// newTable is the reports' one ASCII table style on w: columns columns,
// numbers aligned right, except the columns listed in left (labels), and
// headers as given (left-aligned, not upper-cased).
func newTable(w io.Writer, columns int, left ...int) *tablewriter.Table {
	align := make([]tw.Align, columns)
	for i := range align {
		align[i] = tw.AlignRight
	}
	for _, i := range left {
		if i >= 0 && i < columns {
			align[i] = tw.AlignLeft
		}
	}
	return tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: align}),
		tablewriter.WithTrimSpace(tw.Off),
	)
}

// appendMono appends a row whose cells keep their width in a monospaced
// font (Monospace): the reports' tables are read in a terminal.
func appendMono(t *tablewriter.Table, cells []string) error {
	for i, c := range cells {
		cells[i] = Monospace(c)
	}
	return t.Append(cells)
}
