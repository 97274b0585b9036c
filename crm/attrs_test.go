package crm

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// segmentsCSV is a HubSpot export with two custom properties the
// configuration maps to segment attributes (import: attributes:), written
// as CRMs write them: any case, blank, and one value not configured.
const segmentsCSV = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company,Industry,Company size,Lead source\n" +
	"701,Acme renewal,Contract Sent,2026-12-15,Léa Martin,12000,Acme,RETAIL, 51-200 ,Web\n" +
	"702,Globex rollout,Appointment Scheduled,2027-01-20,Hugo Bernard,45000,Globex,Software,,Web\n" +
	"703,Initech pilot,Contract Sent,2026-12-20,Léa Martin,8000,Initech,Mining,1-50,Event\n" +
	"704,Umbrella,Contract Sent,2026-12-20,Hugo Bernard,9000,Umbrella,retail,5000+,Event\n"

func segmentRules() *Rules {
	rl := goldenRules()
	rl.Attrs = []AttrMap{
		{Name: "industry", Header: "industry", Values: []string{"Retail", "Software"}},
		{Name: "size", Header: "Company size", Values: []string{"1-50", "51-200", "201+"}},
	}
	return rl
}

// TestGoldenSegmentsDryRun: the dry run of a file whose columns map to
// segment attributes names them in its header, shows each new deal's
// values as configured, and refuses an unknown value line by line with
// the allowed ones. go test ./crm -run Segments -update rewrites it.
func TestGoldenSegmentsDryRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hubspot-segments.csv")
	if err := os.WriteFile(path, []byte(segmentsCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	f, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rl := segmentRules()
	rep := &Report{W: &out, Attrs: rl.Attrs}
	rep.Header(filepath.Base(path), f)
	if _, _, err := (&Run{File: f, Rules: rl}).Do(context.Background(), emptyTarget{t}, false, rep.Outcome); err != nil {
		t.Fatal(err)
	}
	rep.Summary()
	golden := "testdata/segments-dry-run.golden"
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got := out.String(); got != string(want) {
		t.Errorf("dry run differs from %s:\n--- got\n%s--- want\n%s", golden, got, want)
	}
}

// TestPlanAttributes: an attribute the file changes updates the deal; one
// changed in dealpilot since the last import is a conflict, the file's
// taken with preferFile; a file without the column leaves it alone.
func TestPlanAttributes(t *testing.T) {
	f := domain.AttrField("industry")
	ex := &domain.Deal{ID: 7, Name: "Acme", Account: "Acme", Amount: 100, Currency: "EUR", Stage: "Discovery",
		Category: domain.Pipeline, Status: domain.Open, Owner: "U0LEA", CloseDate: domain.NewDate(2026, 12, 1)}
	ex.SetAttr("industry", "Retail")
	file := func(v string, fields ...domain.Field) *Mapped {
		m := &Mapped{Deal: *ex, Fields: fields}
		m.Deal.SetAttr("industry", v)
		return m
	}
	tests := []struct {
		name       string
		m          *Mapped
		base       string
		preferFile bool
		action     Action
		want       string
	}{
		{"FileChanges", file("Software", f), "Retail", false, Update, "Software"},
		{"BothChanged", file("Software", f), "Mining", false, Conflict, "Retail"},
		{"BothChangedPreferFile", file("Software", f), "Mining", true, Update, "Software"},
		{"NoColumn", file("Software"), "Retail", false, Unchanged, "Retail"},
		{"Cleared", file("", f), "Retail", false, Update, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := Plan(tc.m, &Existing{Deal: ex, Base: map[domain.Field]string{f: tc.base}}, tc.preferFile)
			got := ex.Attributes.Get("industry")
			if o.Deal != nil {
				got = o.Deal.Attributes.Get("industry")
			}
			if o.Action != tc.action || got != tc.want {
				t.Errorf("Plan = %s, industry %q; want %s, %q", o.Action, got, tc.action, tc.want)
			}
		})
	}
}

// TestMappingAttributes: a mapping file maps a segment attribute with
// attr.<name>: header, read like import: attributes: (any case, blank
// clears, a value not configured refused); a bad attr. key, one given
// twice or a header already mapped is refused with its line, and an
// attribute the configuration lacks by CheckMapping.
func TestMappingAttributes(t *testing.T) {
	const mapping = "external_id: Ref\nname: Opportunity\nstage: Phase\nattr.industry: Sector\n"
	m, err := ParseMapping([]byte(mapping))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attrs) != 1 || m.Attrs["industry"] != "Sector" || len(m.Columns) != 3 {
		t.Fatalf("mapping = %+v", m)
	}
	path := filepath.Join(t.TempDir(), "generic.csv")
	csv := "Ref,Opportunity,Phase,Sector\nR1,Acme,Contract Sent,RETAIL\nR2,Globex,Contract Sent,\nR3,Initech,Contract Sent,Mining\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path, Options{Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	rl := segmentRules()
	if err := rl.CheckMapping(f.Layout); err != nil {
		t.Fatalf("CheckMapping = %v", err)
	}
	var got []string
	if err := f.Each("EUR", func(r *Record) error {
		md := rl.Map(f.Layout, r)
		s := md.Deal.Name + "=" + md.Deal.Attributes.Get("industry")
		if md.Has(domain.AttrField("industry")) {
			s += " (set)"
		}
		for _, p := range md.Problems {
			if p.Column == Column(domain.AttrField("industry")) {
				s += " problem " + p.Header
			}
		}
		got = append(got, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := "Acme=Retail (set)|Globex= (set)|Initech= problem Sector"; strings.Join(got, "|") != want {
		t.Errorf("mapped %q, want %q", strings.Join(got, "|"), want)
	}

	bad := []struct{ name, line, want string }{
		{"BadName", "attr.Industry Type: Sector", `line 4: "attr.Industry Type" is not an attribute name`},
		{"Empty", "attr.: Sector", `line 4: "attr." is not a column`},
		{"Twice", "attr.industry: Sector\nattr.industry: Branche", "line 5: attr.industry is given twice"},
		{"HeaderTaken", "attr.industry: Phase", `line 4: header "Phase" is already stage`},
		{"NoHeader", "attr.industry: ", "line 4: attr.industry needs the header text of its column"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMapping([]byte("external_id: Ref\nname: Opportunity\nstage: Phase\n" + tt.line + "\n"))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseMapping = %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("NotConfigured", func(t *testing.T) {
		m, err := ParseMapping([]byte(mapping + "attr.region: Area\n"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := Open(path, Options{Mapping: m})
		if err != nil {
			t.Fatal(err)
		}
		if err := rl.CheckMapping(f.Layout); err == nil || err.Error() != "mapping file: attr.region: not an attribute of segments: (industry, size)" {
			t.Errorf("CheckMapping = %v", err)
		}
		if err := (&Rules{}).CheckMapping(f.Layout); err == nil || !strings.Contains(err.Error(), "the configuration has no segments:") {
			t.Errorf("without segments: CheckMapping = %v", err)
		}
	})
}
