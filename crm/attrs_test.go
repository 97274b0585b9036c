package crm

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
