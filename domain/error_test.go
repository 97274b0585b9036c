package domain_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

// TestErrorsOf: the user's errors come out of every shape err takes, wrapped
// or not; nothing else is taken for theirs.
func TestErrorsOf(t *testing.T) {
	one := domain.FieldErrorf(domain.FieldAmount, "parse.amount", "x")
	two := domain.Errorf(domain.EFORBIDDEN, "deal.not_yours")
	for _, c := range []struct {
		name   string
		err    error
		want   domain.Errors
		wantOK bool
	}{
		{"Nil", nil, nil, false},
		{"Internal", errors.New("disk full"), nil, false},
		{"Conflict", &domain.Conflict{Deal: 1, By: "U1"}, nil, false},
		{"One", one, domain.Errors{one}, true},
		{"OneWrapped", fmt.Errorf("saving: %w", one), domain.Errors{one}, true},
		{"List", domain.Errors{one, two}, domain.Errors{one, two}, true},
		{"ListWrapped", fmt.Errorf("form: %w", domain.Errors{one, two}), domain.Errors{one, two}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := domain.ErrorsOf(c.err)
			if ok != c.wantOK || len(got) != len(c.want) {
				t.Fatalf("ErrorsOf = %v, %v; want %v, %v", got, ok, c.want, c.wantOK)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("error %d = %v, want %v", i, got[i], c.want[i])
				}
			}
		})
	}
}

// TestMapErrors: each user error is replaced, the shape (and so the code)
// is kept, anything else passes through untouched.
func TestMapErrors(t *testing.T) {
	upper := func(e *domain.Error) *domain.Error { c := *e; c.Key = "mapped." + e.Key; return &c }
	one := domain.Errorf(domain.EFORBIDDEN, "deal.not_yours")
	if got := domain.MapErrors(one, upper); domain.ErrorCode(got) != domain.EFORBIDDEN || got.(*domain.Error).Key != "mapped.deal.not_yours" {
		t.Errorf("one error: %#v", got)
	}
	list := domain.Errors{one, domain.FieldErrorf(domain.FieldAmount, "parse.amount")}
	got, ok := domain.MapErrors(list, upper).(domain.Errors)
	if !ok || len(got) != 2 || got[1].Key != "mapped.parse.amount" || list[1].Key != "parse.amount" {
		t.Errorf("list: %#v (the input must stay as it was: %#v)", got, list)
	}
	internal := errors.New("disk full")
	if got := domain.MapErrors(internal, upper); got != internal {
		t.Errorf("internal error changed: %v", got)
	}
}
