package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/dealpilot/dealpilot/export"
)

// sheetWriter is a CSV writer for files people open in a spreadsheet:
// every cell that is not a number and starts as a formula would (= + - @,
// tab, carriage return) is written as text, with a leading apostrophe
// (export.Neutralise, OWASP's advice). Display names, account names,
// competitors and loss reasons are whatever someone typed; a negative
// amount stays a number.
type sheetWriter struct{ *csv.Writer }

func newSheetWriter(w io.Writer) sheetWriter { return sheetWriter{csv.NewWriter(w)} }

// Write writes one row, each cell neutralised unless it is a number.
func (s sheetWriter) Write(row []string) error {
	for i, c := range row {
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			row[i] = export.Neutralise(c)
		}
	}
	return s.Writer.Write(row)
}
