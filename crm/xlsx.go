package crm

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// xlsxRows streams the first sheet of a workbook: rows are read from the
// sheet's XML as they come (excelize spills a large sheet to a temporary
// file), never loaded whole. Cells are read raw: numbers as written, dates
// as Excel serials, which the date columns convert.
type xlsxRows struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

func openXLSX(path string) (rows, error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true, UnzipSizeLimit: 1 << 30})
	if err != nil {
		return nil, fileErrorf(0, "cannot read the workbook (%v): save it again from Excel, or as CSV UTF-8", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fileErrorf(0, "the workbook has no sheet")
	}
	rs, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fileErrorf(0, "cannot read the sheet %q: %v", sheets[0], err)
	}
	return &xlsxRows{f: f, rows: rs}, nil
}

func (x *xlsxRows) next() (int, []string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return 0, nil, fileErrorf(x.row+1, "cannot read the sheet: %v", err)
		}
		return 0, nil, io.EOF
	}
	x.row++
	rec, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, nil, fileErrorf(x.row, "cannot read the row: %v", err)
	}
	if len(rec) > MaxColumns {
		return 0, nil, fileErrorf(x.row, "%d columns, more than %d: this is not a deal export", len(rec), MaxColumns)
	}
	for i, c := range rec {
		if len(c) > MaxField {
			return 0, nil, fileErrorf(x.row, "cell %d holds %d bytes, more than %d: this is not a deal export", i+1, len(c), MaxField)
		}
	}
	return x.row, rec, nil
}

func (x *xlsxRows) close() error {
	x.rows.Close()
	return x.f.Close()
}
