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
		return nil, fileErrorf(0, "crm.xlsx.unreadable", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fileErrorf(0, "crm.xlsx.no_sheet")
	}
	rs, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fileErrorf(0, "crm.xlsx.sheet_unreadable", sheets[0], err)
	}
	return &xlsxRows{f: f, rows: rs}, nil
}

func (x *xlsxRows) next() (int, []string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return 0, nil, fileErrorf(x.row+1, "crm.xlsx.sheet_read", err)
		}
		return 0, nil, io.EOF
	}
	x.row++
	rec, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, nil, fileErrorf(x.row, "crm.xlsx.row_read", err)
	}
	if len(rec) > MaxColumns {
		return 0, nil, fileErrorf(x.row, "crm.file.too_many_columns", len(rec), MaxColumns)
	}
	for i, c := range rec {
		if len(c) > MaxField {
			return 0, nil, fileErrorf(x.row, "crm.xlsx.cell_too_big", i+1, len(c), MaxField)
		}
	}
	return x.row, rec, nil
}

func (x *xlsxRows) close() error {
	x.rows.Close()
	return x.f.Close()
}
