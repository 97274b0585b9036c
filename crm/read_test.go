package crm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/dealpilot/dealpilot/domain"
)

const hubspotCSV = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Pipeline,Create Date\n" +
	"101,Acme renewal,Contract Sent,2026-12-15,lea@example.com,12000,Sales Pipeline,2026-09-01\n" +
	"102,\"Globex, \"\"phase 2\"\"\nwith notes\",Qualified To Buy,2027-01-20,hugo@example.com,\"4,500.50\",Sales Pipeline,2026-10-02\n"

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func utf16Bytes(s string, big bool) []byte {
	u := utf16.Encode([]rune("\ufeff" + s))
	b := make([]byte, 2*len(u))
	for i, v := range u {
		if big {
			binary.BigEndian.PutUint16(b[2*i:], v)
		} else {
			binary.LittleEndian.PutUint16(b[2*i:], v)
		}
	}
	return b
}

func readAll(t *testing.T, path string, opts Options) (*File, []*Record) {
	t.Helper()
	f, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var recs []*Record
	if err := f.Each("EUR", func(r *Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatalf("Each: %v", err)
	}
	return f, recs
}

// TestReadEncodingsAndDelimiters: the same HubSpot export written as Excel
// and the CRMs write it reads the same.
func TestReadEncodingsAndDelimiters(t *testing.T) {
	semi := strings.NewReplacer(",\"4,500.50\",", ";\"4 500,50\";", ",", ";").Replace(hubspotCSV)
	tests := []struct {
		name  string
		data  []byte
		enc   Encoding
		delim rune
	}{
		{"UTF8", []byte(hubspotCSV), UTF8, ','},
		{"UTF8BOM", append([]byte("\xEF\xBB\xBF"), hubspotCSV...), UTF8BOM, ','},
		{"UTF16LE", utf16Bytes(strings.ReplaceAll(hubspotCSV, ",", "\t"), false), UTF16LE, '\t'},
		{"UTF16BE", utf16Bytes(hubspotCSV, true), UTF16BE, ','},
		{"Semicolon", []byte(semi), UTF8, ';'},
		{"CRLF", []byte(strings.ReplaceAll(hubspotCSV, "\n", "\r\n")), UTF8, ','},
		{"ExcelSepLine", []byte("sep=;\n" + semi), UTF8, ';'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, recs := readAll(t, writeFile(t, "deals.csv", tt.data), Options{})
			if f.Encoding != tt.enc || f.Delimiter != tt.delim || f.Layout.Set.ID != "hubspot-en" {
				t.Errorf("read as %s %q %s", f.Encoding, f.Delimiter, f.Layout.Set.ID)
			}
			if len(recs) != 2 {
				t.Fatalf("%d records, want 2", len(recs))
			}
			r := recs[1]
			if len(r.Problems) > 0 {
				t.Fatalf("problems: %v", r.Problems)
			}
			if !strings.HasPrefix(r.Name, "Globex") || !strings.HasSuffix(r.Name, " \"phase 2\" with notes") {
				t.Errorf("multi-line name = %q", r.Name)
			}
			if r.Amount != 450050 || r.Currency != "EUR" || r.CloseDate.String() != "2027-01-20" || r.ExternalID != "102" {
				t.Errorf("record = %+v", r)
			}
			wantLine := 3
			if tt.name == "ExcelSepLine" {
				wantLine = 4
			}
			if r.Line != wantLine {
				t.Errorf("line = %d, want %d", r.Line, wantLine)
			}
		})
	}
}

// TestReadRefusesBadFiles: files that cannot be trusted are refused as a
// whole, with the line and what to do.
func TestReadRefusesBadFiles(t *testing.T) {
	huge := hubspotCSV + "103,\"" + strings.Repeat("x", 10<<20) + "\",Contract Sent,2026-12-15,lea@example.com,1,P,2026-09-01\n"
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"Empty", nil, "empty"},
		{"Truncated", []byte(hubspotCSV + "103,\"Initech,Contract Sent,2026-12-15\n"), "line 5: a quoted cell that starts here never ends"},
		{"StrayQuote", []byte(hubspotCSV + "103,Init\"ech,Contract Sent,2026-12-15,a,1,P,2026-09-01\n"), "stray quote"},
		{"TenMegabyteField", []byte(huge), "line 5: a row longer than"},
		{"LongField", []byte(hubspotCSV + "103,\"" + strings.Repeat("x", 100<<10) + "\",Contract Sent,2026-12-15,a,1,P,2026-09-01\n"), "line 5: cell 2 holds 102400 bytes"},
		{"TooWide", []byte(hubspotCSV + strings.Repeat("x,", 1200) + "x\n"), "line 5: 1201 columns"},
		{"Latin1", []byte(strings.Replace(hubspotCSV, "Acme renewal", "Soci\xe9t\xe9 G\xe9n\xe9rale", 1)), "line 2: the text is not UTF-8"},
		{"UTF16NoBOM", utf16Bytes(hubspotCSV, false)[2:], "UTF-16 text without a byte order mark"},
		{"UnknownHeaders", []byte("Title,Value\nx,1\n"), "not those of a HubSpot, Salesforce or Pipedrive"},
		{"NoDelimiter", []byte("just one column\nx\n"), "cannot tell the delimiter"},
		{"DuplicateHeader", []byte("Record ID,Deal Name,Deal Stage,Deal Name\n1,a,b,c\n"), "two columns are headed \"Deal Name\""},
		{"MixedDateOrders", []byte(strings.Replace(strings.Replace(hubspotCSV, "2026-12-15", "31/12/2026", 1), "2027-01-20", "12/31/2026", 1)), "dates are written both ways"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(writeFile(t, "deals.csv", tt.data), Options{})
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Open = %v, want a FileError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

// TestReadRowProblems: a bad cell makes its row invalid, named by line and
// header; the other rows read.
func TestReadRowProblems(t *testing.T) {
	data := hubspotCSV +
		"103,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",Contract Sent,2026-12-15,lea@example.com,12000,P,2026-09-01\n" +
		"104,Short row,Contract Sent\n" +
		"105,Bad amount,Contract Sent,2026-12-15,lea@example.com,12 000 zorkmids,P,2026-09-01\n" +
		"106,Bad date,Contract Sent,2026-02-30,lea@example.com,1,P,2026-09-01\n" +
		",No id,Contract Sent,2026-12-15,lea@example.com,1,P,2026-09-01\n"
	_, recs := readAll(t, writeFile(t, "deals.csv", []byte(data)), Options{})
	want := map[int]string{
		5: "Deal Name: \"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\" starts like a spreadsheet formula",
		6: "3 cells where the header has 8",
		7: "Amount: \"12 000 zorkmids\" is not an amount",
		8: "Close Date: \"2026-02-30\" is not a date",
		9: "Record ID: empty",
	}
	if len(recs) != 7 {
		t.Fatalf("%d records", len(recs))
	}
	for _, r := range recs {
		w, bad := want[r.Line]
		if !bad {
			if len(r.Problems) > 0 {
				t.Errorf("line %d: %v", r.Line, r.Problems)
			}
			continue
		}
		if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].String(), w) {
			t.Errorf("line %d problems %v, want %q", r.Line, r.Problems, w)
		}
	}
}

func TestDateOrderPerFile(t *testing.T) {
	base := "Record ID,Deal Name,Deal Stage,Close Date\n1,a,Contract Sent,%s\n2,b,Contract Sent,%s\n"
	tests := []struct {
		name   string
		d1, d2 string
		opts   Options
		order  DateOrder
		note   string
		first  string
	}{
		{"SettledDMY", "03/04/2026", "25/04/2026", Options{}, DMY, "line 3 has a day above 12", "2026-04-03"},
		{"SettledMDY", "03/04/2026", "04/25/2026", Options{}, MDY, "line 3 has a day above 12", "2026-03-04"},
		{"AmbiguousEnglish", "03/04/2026", "05/06/2026", Options{}, MDY, "ambiguous dates", "2026-03-04"},
		{"Forced", "03/04/2026", "05/06/2026", Options{DateOrder: DMY}, DMY, "", "2026-04-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := sprintf(base, tt.d1, tt.d2)
			f, recs := readAll(t, writeFile(t, "d.csv", []byte(data)), tt.opts)
			if f.DateOrder != tt.order || !strings.Contains(f.DateNote, tt.note) {
				t.Errorf("order %s note %q", f.DateOrder, f.DateNote)
			}
			if recs[0].CloseDate.String() != tt.first {
				t.Errorf("first date %s, want %s", recs[0].CloseDate, tt.first)
			}
		})
	}
	semi := strings.ReplaceAll(sprintf(base, "03/04/2026", "05/06/2026"), ",", ";")
	f, _ := readAll(t, writeFile(t, "d.csv", []byte(semi)), Options{})
	if f.DateOrder != DMY {
		t.Errorf("';' file with ambiguous dates read as %s", f.DateOrder)
	}
	if _, err := Open(writeFile(t, "d.csv", []byte(sprintf(base, "25/04/2026", "01/02/2026"))), Options{DateOrder: MDY}); err == nil {
		t.Error("a forced order the file contradicts was accepted")
	}
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// TestReadNeutralisedText: a text cell an exporter neutralised with a
// leading apostrophe (export.Neutralise) reads as it was typed, so a round
// trip keeps "+33 renewal"; once unmarked, a formula is refused as an
// unmarked one is, with a message naming what to remove.
func TestReadNeutralisedText(t *testing.T) {
	tests := []struct {
		name, cell, want, problem string
	}{
		{"PlusNumber", "'+33 renewal", "+33 renewal", ""},
		{"PlusSpace", "'+ upsell", "+ upsell", ""},
		{"MinusNumber", "'-20% upsell", "-20% upsell", ""},
		{"MinusWord", "'-cmd|' /C calc'!A0", "", `starts like a spreadsheet formula once its apostrophe is dropped; remove the leading "'-"`},
		{"Equals", `'=HYPERLINK("http://evil","x")`, "", `starts like a spreadsheet formula once its apostrophe is dropped; remove the leading "'="`},
		{"At", "'@SUM(A1)", "", `remove the leading "'@"`},
		{"PlusWord", "'+cmd|' /C calc'!A0", "", `remove the leading "'+"`},
		{"TabThenEquals", "'\t=1+1", "", `remove the leading "'\t="`},
		{"TabThenPlusNumber", "'\t+33 renewal", "+33 renewal", ""},
		{"ApostropheOtherwise", "'til Friday", "'til Friday", ""},
		{"LoneApostrophe", "'", "'", ""},
		{"Unmarked", "+33 renewal", "", `"+33 renewal" starts like a spreadsheet formula; remove the leading "+"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cell := `"` + strings.ReplaceAll(tt.cell, `"`, `""`) + `"`
			data := "Record ID,Deal Name,Deal Stage\n101," + cell + ",Contract Sent\n"
			_, recs := readAll(t, writeFile(t, "deals.csv", []byte(data)), Options{})
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			r := recs[0]
			if tt.problem == "" {
				if len(r.Problems) > 0 || r.Name != tt.want {
					t.Errorf("name %q, problems %v; want %q", r.Name, r.Problems, tt.want)
				}
				return
			}
			if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].String(), tt.problem) {
				t.Errorf("problems %v, want %q", r.Problems, tt.problem)
			}
		})
	}
}

// TestMapCreated: a CRM's creation date is the deal's creation, at midnight
// of the team's zone, unless it is after the import's day (a note says the
// deal is dated from the import) or missing.
func TestMapCreated(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	today := domain.NewDate(2026, 12, 1)
	tests := []struct {
		name, created string
		loc           *time.Location
		want          time.Time
		note          string
	}{
		{"Past", "2026-09-01", paris, time.Date(2026, 9, 1, 0, 0, 0, 0, paris), ""},
		{"Today", "2026-12-01", paris, time.Date(2026, 12, 1, 0, 0, 0, 0, paris), ""},
		{"NoZoneIsUTC", "2026-09-01", nil, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), ""},
		{"Future", "2026-12-02", paris, time.Time{}, "created 2026-12-02, after today: dated from the import"},
		{"Empty", "", paris, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := "Record ID,Deal Name,Deal Stage,Deal owner,Create Date\n101,Acme,Contract Sent,lea@example.com," + tt.created + "\n"
			f, recs := readAll(t, writeFile(t, "deals.csv", []byte(data)), Options{})
			rl := &Rules{Owners: map[string]domain.UserID{OwnerKey("lea@example.com"): "U0LEA"}, Process: domain.DefaultStages(),
				Currency: "EUR", Today: today, Location: tt.loc}
			m := rl.Map(f.Layout, recs[0])
			if len(m.Problems) > 0 {
				t.Fatalf("problems %v", m.Problems)
			}
			if !m.Deal.CreatedAt.Equal(tt.want) {
				t.Errorf("CreatedAt %v, want %v", m.Deal.CreatedAt, tt.want)
			}
			var notes []string
			for _, n := range m.Notes {
				notes = append(notes, n.String())
			}
			if note := strings.Join(notes, "; "); note != tt.note {
				t.Errorf("notes %q, want %q", note, tt.note)
			}
		})
	}
}

// TestReadContractColumns: dealpilot's own export carries a deal's type,
// term, ARR and splits; each reads back, and a cell that does not read is
// a problem naming it (never a silent none).
func TestReadContractColumns(t *testing.T) {
	head := "id,name,stage,status,currency,type,term_months,recurring,splits\n"
	tests := []struct {
		name, row, problem string
		want               Record
	}{
		{"Read", "D-1,Acme,Closing,won,EUR,renewal,12,24000.50,U1:6000;U2:4000;U3:1000:overlay", "",
			Record{Type: domain.TypeRenewal, Term: 12, Recurring: 2_400_050, Splits: []domain.Split{{User: "U1", Share: 6000}, {User: "U2", Share: 4000}, {User: "U3", Share: 1000, Overlay: true}}}},
		{"Empty", "D-1,Acme,Closing,won,EUR,,,,", "", Record{}},
		{"BadType", "D-1,Acme,Closing,won,EUR,upgrade,,,", `"upgrade" is not a deal type`, Record{}},
		{"BadTerm", "D-1,Acme,Closing,won,EUR,,forever,,", "forever", Record{}},
		{"BadRecurring", "D-1,Acme,Closing,won,EUR,,,lots,", "lots", Record{}},
		{"BadSplits", "D-1,Acme,Closing,won,EUR,,,,U1 sixty", `"U1 sixty" is not splits as dealpilot exports them`, Record{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, recs := readAll(t, writeFile(t, "deals.csv", []byte(head+tt.row+"\n")), Options{})
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			r := recs[0]
			if tt.problem != "" {
				if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].String(), tt.problem) {
					t.Errorf("problems %v, want one saying %q", r.Problems, tt.problem)
				}
				return
			}
			if len(r.Problems) > 0 || r.Type != tt.want.Type || r.Term != tt.want.Term || r.Recurring != tt.want.Recurring ||
				fmt.Sprint(r.Splits) != fmt.Sprint(tt.want.Splits) {
				t.Errorf("read %v %d %d %v, problems %v; want %v %d %d %v", r.Type, r.Term, r.Recurring, r.Splits, r.Problems,
					tt.want.Type, tt.want.Term, tt.want.Recurring, tt.want.Splits)
			}
		})
	}
}
