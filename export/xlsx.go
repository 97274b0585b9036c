package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes t as an XLSX workbook of one sheet named t.Name, through
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
	sheet := sheetName(t.Name)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
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
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	n := 1
	row := make([]any, len(t.Header))
	err = t.Rows(func(cells []Cell) error {
		if len(cells) != len(t.Header) {
			return fmt.Errorf("export: %s: a row of %d cells for %d columns", t.Name, len(cells), len(t.Header))
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

// sheetName is name as Excel allows a sheet name: at most 31 characters,
// none of : \ / ? * [ ].
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Sheet1"
	}
	return name
}
