package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
)

// WriteCSV writes t as CSV: UTF-8 without a byte order mark (CRM imports
// read it; Excel users should take XLSX, which needs no guess at the
// encoding), RFC 4180 (comma, CRLF line ends, fields with a comma, quote or
// line break quoted, quotes doubled). Text cells are neutralised; a Number
// is written bare with a dot ("-12.50"): a spreadsheet reads it as a
// number, and no formula starts with a minus followed only by digits and
// one dot, so it needs no guard.
func WriteCSV(w io.Writer, t Table) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	rec := make([]string, len(t.Header))
	err := t.Rows(func(cells []Cell) error {
		if len(cells) != len(t.Header) {
			return fmt.Errorf("export: %s: a row of %d cells for %d columns", t.Name, len(cells), len(t.Header))
		}
		for i, c := range cells {
			rec[i] = c.text()
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
