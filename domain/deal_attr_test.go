package domain

import (
	"reflect"
	"strings"
	"testing"
)

func TestDealAttributes(t *testing.T) {
	base := &Deal{Name: "N", Account: "A", Owner: "U1", Amount: 1, Currency: "EUR", Category: Pipeline, Status: Open, CloseDate: NewDate(2026, 12, 1)}
	t.Run("ACopyChangesItsOwn", func(t *testing.T) {
		before := *base
		before.SetAttr("industry", "retail")
		after := before // as the store's copy is made
		after.SetAttr("industry", "software")
		after.SetAttr("region", "north")
		if before.Attributes.Get("industry") != "retail" || before.Attributes.Len() != 1 {
			t.Fatalf("the copy's change reached the original: %v", before.Attributes.Map())
		}
		if reflect.DeepEqual(before, after) || reflect.DeepEqual(*base, before) {
			t.Fatal("deals with other attributes compare equal")
		}
		got := Diff(&before, &after)
		if len(got) != 2 || got[0] != (Change{Field: "attr.industry", Old: "retail", New: "software"}) || got[1] != (Change{Field: "attr.region", New: "north"}) {
			t.Errorf("Diff = %+v", got)
		}
		after.SetAttr("region", "")
		after.SetAttr("industry", "")
		if after.Attributes != (Attrs{}) || after.Attributes.Map() != nil {
			t.Errorf("cleared attributes = %v, want none", after.Attributes.Map())
		}
		// The order attributes are set in does not matter.
		x, y := Attrs{}.With("b", "2").With("a", "1"), Attrs{}.With("a", "1").With("b", "2")
		if x != y || AttrsOf(map[string]string{"a": "1", "b": "2", "c": ""}) != x || x.Names()[0] != "a" {
			t.Errorf("%v != %v", x.Map(), y.Map())
		}
	})
	t.Run("GetAndField", func(t *testing.T) {
		d := *base
		d.SetAttr("size_band", "51-200")
		if d.Get(AttrField("size_band")) != "51-200" || d.Get(AttrField("industry")) != "" {
			t.Errorf("Get = %q", d.Get(AttrField("size_band")))
		}
		if n, ok := AttrField("size_band").Attr(); !ok || n != "size_band" {
			t.Errorf("Attr = %q %v", n, ok)
		}
		if _, ok := FieldStage.Attr(); ok {
			t.Error("stage is an attribute")
		}
		if _, ok := Field("attr.").Attr(); ok {
			t.Error("an empty attribute name is one")
		}
	})
	t.Run("Validate", func(t *testing.T) {
		for _, tc := range []struct {
			name, attr, value string
			ok                bool
		}{
			{"OK", "industry", "retail", true},
			{"BadName", "Industry Type", "retail", false},
			{"BlankValue", "industry", "  ", false},
			{"LongValue", "industry", strings.Repeat("x", MaxNameLen+1), false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				d := *base
				d.Attributes = AttrsOf(map[string]string{tc.attr: tc.value})
				if err := d.Validate(); (err == nil) != tc.ok {
					t.Errorf("Validate = %v", err)
				}
			})
		}
		d := *base
		for i := range MaxAttributes + 1 {
			d.SetAttr("a"+strings.Repeat("b", i), "x")
		}
		if err := d.Validate(); err == nil {
			t.Error("too many attributes accepted")
		}
	})
}

func TestFormAttributes(t *testing.T) {
	rules := []AttrRule{{Name: "industry", Values: []string{"retail", "consumer goods"}}}
	d := &Deal{}
	d.SetAttr("industry", "retail")
	for _, tc := range []struct {
		name, value, want string
		err               bool
		absent            bool
	}{
		{name: "Matched", value: " Consumer  GOODS", want: "consumer goods"},
		{name: "Cleared", value: ClearAttr, want: ""},
		{name: "Blank", value: "", want: ""},
		{name: "NotShown", absent: true, want: "retail"},
		{name: "Unknown", value: "banking", want: "retail", err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := *d
			v := map[Field]string{}
			if !tc.absent {
				v[AttrField("industry")] = tc.value
			}
			es := applyAttrs(&x, v, rules)
			if (len(es) > 0) != tc.err || x.Attributes.Get("industry") != tc.want {
				t.Errorf("attrs %v, errors %v", x.Attributes.Map(), es)
			}
			if d.Attributes.Get("industry") != "retail" {
				t.Fatal("the original deal changed")
			}
		})
	}
}
