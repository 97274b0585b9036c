package domain

import (
	"slices"
	"testing"
	"time"
)

func TestParseDealType(t *testing.T) {
	tests := []struct {
		in   string
		want DealType
		ok   bool
	}{
		{"new", TypeNew, true},
		{" Nouveau ", TypeNew, true},
		{"expansion", TypeExpansion, true},
		{"UPSELL", TypeExpansion, true},
		{"renewal", TypeRenewal, true},
		{"renouvellement", TypeRenewal, true},
		{"", "", false},
		{"churn", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseDealType(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseDealType(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	if DealType("").Of() != TypeNew || TypeRenewal.Of() != TypeRenewal {
		t.Error("an empty type must read as new, a set one as itself")
	}
}

func TestParseTermMonths(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
		bad  bool
	}{
		{"Empty", "", 0, false},
		{"Months", "12", 12, false},
		{"MonthsWord", "24 months", 24, false},
		{"Mois", "18 mois", 18, false},
		{"Years", "3y", 36, false},
		{"Ans", "2 ans", 24, false},
		{"Max", "120", 120, false},
		{"ErrOverMax", "11y", 0, true},
		{"ErrZero", "0", 0, true},
		{"ErrNegative", "-12", 0, true},
		{"ErrUnit", "12 weeks", 0, true},
		{"ErrWords", "a year", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTermMonths(tt.in)
			if (err != nil) != tt.bad || got != tt.want {
				t.Fatalf("ParseTermMonths(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.bad)
			}
			if err != nil {
				if e, ok := err.(*Error); !ok || e.Field != FieldTerm {
					t.Errorf("error %v is not about %s", err, FieldTerm)
				}
			}
		})
	}
}

func TestParseRecurring(t *testing.T) {
	if n, err := ParseRecurring(" ", EN, "EUR"); n != 0 || err != nil {
		t.Errorf("empty: %d, %v; want 0, nil", n, err)
	}
	if n, err := ParseRecurring("24k", EN, "EUR"); n != 24_000_00 || err != nil {
		t.Errorf("24k: %d, %v", n, err)
	}
	_, err := ParseRecurring("lots", EN, "EUR")
	if e, ok := err.(*Error); !ok || e.Field != FieldRecurring || e.Key != "deal.bad_recurring" {
		t.Errorf("lots: %v; want deal.bad_recurring on %s", err, FieldRecurring)
	}
}

func TestTermEnd(t *testing.T) {
	tests := []struct {
		name  string
		close Date
		term  int
		want  Date
	}{
		{"Year", NewDate(2026, 3, 15), 12, NewDate(2027, 3, 15)},
		{"MonthEndClamped", NewDate(2026, 1, 31), 1, NewDate(2026, 2, 28)},
		{"NoTerm", NewDate(2026, 3, 15), 0, Date{}},
		{"NoClose", Date{}, 12, Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Deal{CloseDate: tt.close, TermMonths: tt.term}
			if got := d.TermEnd(); got != tt.want {
				t.Errorf("TermEnd = %v; want %v", got, tt.want)
			}
		})
	}
}

func TestAccountKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Société Générale", "societe generale"},
		{"  SOCIETE   générale. ", "societe generale"},
		{"L'Oréal", "l oreal"},
		{"---", ""},
	}
	for _, tt := range tests {
		if got := AccountKey(tt.in); got != tt.want {
			t.Errorf("AccountKey(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestValidateTypeTermRecurring: each bound of the new fields is refused
// on its own field.
func TestValidateTypeTermRecurring(t *testing.T) {
	base := func() *Deal {
		return &Deal{Name: "N", Account: "A", Owner: "U1", Amount: 100, Currency: "EUR",
			Stage: "S", Category: Pipeline, Status: Open, CloseDate: NewDate(2026, 3, 1)}
	}
	tests := []struct {
		name  string
		edit  func(*Deal)
		field Field
	}{
		{"OK", func(d *Deal) { d.Type, d.TermMonths, d.Recurring = TypeRenewal, 12, 1 }, ""},
		{"ErrType", func(d *Deal) { d.Type = "churn" }, FieldType},
		{"ErrTermNegative", func(d *Deal) { d.TermMonths = -1 }, FieldTerm},
		{"ErrTermTooLong", func(d *Deal) { d.TermMonths = MaxTermMonths + 1 }, FieldTerm},
		{"ErrRecurringNegative", func(d *Deal) { d.Recurring = -1 }, FieldRecurring},
		{"ErrRecurringTooBig", func(d *Deal) { d.Recurring = MaxAmountMinor + 1 }, FieldRecurring},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := base()
			tt.edit(d)
			err := d.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			es, _ := ErrorsOf(err)
			if len(es) != 1 || es[0].Field != tt.field {
				t.Errorf("Validate = %v; want one error on %s", err, tt.field)
			}
		})
	}
}

// TestDiffTracksTypeTermRecurring: history sees the new fields change.
func TestDiffTracksTypeTermRecurring(t *testing.T) {
	a := Deal{}
	b := Deal{Type: TypeExpansion, TermMonths: 12, Recurring: 500}
	got := Diff(&a, &b)
	want := []Change{{FieldType, "", "expansion"}, {FieldTerm, "", "12"}, {FieldRecurring, "", "500"}}
	if len(got) != len(want) {
		t.Fatalf("Diff = %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Diff[%d] = %v; want %v", i, got[i], want[i])
		}
	}
}

// TestAccountWithdraw: the last recorded event of the kind asked leaves
// Events for Withdrawn, stamped; the others stay in order; none of the
// kind withdraws nothing; the account it was cloned from is untouched.
func TestAccountWithdraw(t *testing.T) {
	at := time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC)
	churn := func(d int) AccountEvent { return AccountEvent{Kind: EventChurn, On: NewDate(2026, 12, d), By: "U1"} }
	down := func(d int) AccountEvent {
		return AccountEvent{Kind: EventDowngrade, On: NewDate(2026, 12, d), Amount: 100, By: "U1"}
	}
	tests := []struct {
		name        string
		events      []AccountEvent
		kind        AccountEventKind
		wantOK      bool
		wantOn      int // day of the event withdrawn
		wantLeft    []AccountEvent
		withdrawnTo int // len(Withdrawn) after
	}{
		{"LastChurn", []AccountEvent{churn(1), down(5), churn(9)}, EventChurn, true, 9, []AccountEvent{churn(1), down(5)}, 2},
		{"LastRecordedNotLatestDay", []AccountEvent{churn(9), churn(1)}, EventChurn, true, 1, []AccountEvent{churn(9)}, 2},
		{"DowngradeBeforeAChurn", []AccountEvent{down(2), down(5), churn(9)}, EventDowngrade, true, 5, []AccountEvent{down(2), churn(9)}, 2},
		{"NoneOfTheKind", []AccountEvent{down(5)}, EventChurn, false, 0, []AccountEvent{down(5)}, 1},
		{"None", nil, EventDowngrade, false, 0, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := &Account{Key: "a", Events: slices.Clone(tt.events), Withdrawn: []AccountEvent{down(1)}}
			a := orig.Clone()
			e, ok := a.Withdraw(tt.kind, "U2", at)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v; want %v", ok, tt.wantOK)
			}
			if !slices.Equal(a.Events, tt.wantLeft) {
				t.Errorf("events left = %+v; want %+v", a.Events, tt.wantLeft)
			}
			if len(a.Withdrawn) != tt.withdrawnTo {
				t.Fatalf("withdrawn = %+v; want %d", a.Withdrawn, tt.withdrawnTo)
			}
			if !slices.Equal(orig.Events, tt.events) || len(orig.Withdrawn) != 1 {
				t.Errorf("the original changed: %+v", orig)
			}
			if !ok {
				return
			}
			if e.Kind != tt.kind || e.On != NewDate(2026, 12, tt.wantOn) || e.WithdrawnBy != "U2" || !e.WithdrawnAt.Equal(at) {
				t.Errorf("withdrawn %+v; want the %s of Dec %d, by U2 at %v", e, tt.kind, tt.wantOn, at)
			}
			if a.Withdrawn[len(a.Withdrawn)-1] != e {
				t.Errorf("last withdrawn = %+v; want %+v", a.Withdrawn[len(a.Withdrawn)-1], e)
			}
		})
	}
}
