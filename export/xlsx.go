package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes t as an XLSX workbook of one sheet named t.Name (more,
// "Name (2)"…, past the 1,048,576 rows a sheet holds), through
// excelize's stream writer: rows go to a temporary file as they come, so
// memory stays bounded on a large export. Text cells are inline strings,
// neutralised as in CSV (a file saved again as CSV, or a cell edited,
// stays text); a Number is a numeric cell with as many decimals as its
// currency, so a negative amount stays a number that sums. The number is
// the double nearest the exact decimal: amounts are capped at 10^15 minor
// units, within the 15 significant digits a double and Excel keep exactly.
func WriteXLSX(w io.Writer, t Table) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	// styles: a number format per count of decimals ("0.00"), made once.
	styles := map[int]int{}
	numberStyle := func(decimals int) (int, error) {
		if id, ok := styles[decimals]; ok {
			return id, nil
		}
		format := "0"
		if decimals > 0 {
			format += "." + strings.Repeat("0", decimals)
		}
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		styles[decimals] = id
		return id, err
	}
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	// A sheet holds at most maxRows rows, its header's included: the rows
	// after go on in a sheet "Name (2)", with the header again, and so on.
	var (
		sw     *excelize.StreamWriter
		sheets int
		n      int // rows written in the current sheet
	)
	newSheet := func() error {
		if sw != nil {
			if err := sw.Flush(); err != nil {
				return err
			}
		}
		sheets++
		name := sheetName(t.Name, sheets)
		if sheets == 1 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		var err error
		if sw, err = f.NewStreamWriter(name); err != nil {
			return err
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		n = 1
		return sw.SetRow("A1", head)
	}
	if err := newSheet(); err != nil {
		return err
	}
	row := make([]any, len(t.Header))
	err = t.Rows(func(cells []Cell) error {
		if len(cells) != len(t.Header) {
			return fmt.Errorf("export: %s: a row of %d cells for %d columns", t.Name, len(cells), len(t.Header))
		}
		if n == maxRows {
			if err := newSheet(); err != nil {
				return err
			}
		}
		n++
		for i, c := range cells {
			switch {
			case c.Kind == Number:
				v, err := strconv.ParseFloat(c.V, 64)
				if err != nil {
					return fmt.Errorf("export: %s: %q is not a number", t.Name, c.V)
				}
				style, err := numberStyle(c.Decimals)
				if err != nil {
					return err
				}
				row[i] = excelize.Cell{StyleID: style, Value: v}
			case c.V == "":
				row[i] = nil
			default:
				row[i] = c.text()
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// maxRows is the rows a sheet holds (Excel's limit, 2^20); a variable so a
// test can lower it.
var maxRows = excelize.TotalRows

// sheetName is the i-th sheet (from 1) of name as Excel allows a sheet
// name: "Name", then "Name (2)"…, at most 31 characters, none of
// : \ / ? * [ ].
func sheetName(name string, i int) string {
	suffix := ""
	if i > 1 {
		suffix = " (" + strconv.Itoa(i) + ")"
	}
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, name)
	if name == "" {
		name = "Sheet"
	}
	if r := []rune(name); len(r)+len(suffix) > 31 {
		name = string(r[:31-len(suffix)])
	}
	return name + suffix
}
