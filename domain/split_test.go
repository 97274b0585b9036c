package domain

import (
	"testing"
)

func TestValidateSplits(t *testing.T) {
	cases := []struct {
		name string
		ss   []Split
		key  string // "" valid
	}{
		{"NoneIsOwnerAlone", nil, ""},
		{"FiftyFifty", []Split{{User: "A", Share: 5000}, {User: "B", Share: 5000}}, ""},
		{"WithOverlay", []Split{{User: "A", Share: 10000}, {User: "S", Share: 2500, Overlay: true}}, ""},
		{"Thirds", []Split{{User: "A", Share: 3333}, {User: "B", Share: 3333}, {User: "C", Share: 3334}}, ""},
		{"SumBelow", []Split{{User: "A", Share: 6000}, {User: "B", Share: 3000}}, "split.sum"},
		{"SumAbove", []Split{{User: "A", Share: 6000}, {User: "B", Share: 5000}}, "split.sum"},
		{"OverlayNotInSum", []Split{{User: "A", Share: 6000}, {User: "S", Share: 4000, Overlay: true}}, "split.sum"},
		{"Twice", []Split{{User: "A", Share: 5000}, {User: "A", Share: 5000}}, "split.twice"},
		{"ZeroShare", []Split{{User: "A", Share: 10000}, {User: "B", Share: 0, Overlay: true}}, "split.share_range"},
		{"OverlayOnly", []Split{{User: "S", Share: 1000, Overlay: true}}, "split.no_revenue"},
		{"TooMany", func() []Split {
			var ss []Split
			for i := range MaxSplits + 1 {
				ss = append(ss, Split{User: UserID(rune('A' + i)), Share: 1000})
			}
			return ss
		}(), "split.too_many"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ValidateSplits("A", c.ss)
			if c.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if e, ok := err.(*Error); !ok || e.Key != c.key || e.Field != FieldSplits {
				t.Errorf("err = %v, want %s on splits", err, c.key)
			}
		})
	}
}

func TestSplitsCreditOwner(t *testing.T) {
	if err := SplitsCreditOwner("A", []Split{{User: "B", Share: 10000}, {User: "A", Share: 1000, Overlay: true}}); err == nil {
		t.Error("an owner credited by an overlay only is accepted")
	}
	if err := SplitsCreditOwner("A", []Split{{User: "B", Share: 4000}, {User: "A", Share: 6000}}); err != nil {
		t.Error(err)
	}
}

func TestSplitsTextRoundTrip(t *testing.T) {
	d := &Deal{Owner: "A", Splits: []Split{{User: "S", Share: 1000, Overlay: true}, {User: "A", Share: 6000}, {User: "B", Share: 4000}}}
	text := d.Get(FieldSplits)
	if text != "A:6000;B:4000;S:1000:overlay" {
		t.Fatalf("Get = %q", text)
	}
	back, ok := ParseSplits(text)
	if !ok || !SameSplits(back, d.Splits) {
		t.Errorf("ParseSplits = %v, %v", back, ok)
	}
	if v := DisplayValue(FieldSplits, text, "EUR"); !SameSplits(v.(SplitList), d.Splits) {
		t.Errorf("DisplayValue = %v", v)
	}
	for _, bad := range []string{"A", "A:x", "A:1:big", ":100"} {
		if _, ok := ParseSplits(bad); ok {
			t.Errorf("ParseSplits(%q) accepted", bad)
		}
	}
}

func TestHandOver(t *testing.T) {
	cases := []struct {
		name   string
		splits []Split
		to     UserID
		want   string
	}{
		{"NoSplits", nil, "C", ""},
		{"OwnerShareMoves", []Split{{User: "A", Share: 6000}, {User: "B", Share: 4000}}, "C", "C:6000;B:4000"},
		{"ToASplitter", []Split{{User: "A", Share: 6000}, {User: "B", Share: 4000}}, "B", "B:10000"},
		{"ToAnOverlay", []Split{{User: "A", Share: 10000}, {User: "S", Share: 1000, Overlay: true}}, "S", "S:10000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &Deal{Owner: "A", Splits: c.splits}
			d.HandOver(c.to)
			if d.Owner != c.to || d.Get(FieldSplits) != c.want {
				t.Errorf("owner %s, splits %q; want %s, %q", d.Owner, d.Get(FieldSplits), c.to, c.want)
			}
			if err := ValidateSplits(d.Owner, d.Splits); err != nil {
				t.Error(err)
			}
		})
	}
}
