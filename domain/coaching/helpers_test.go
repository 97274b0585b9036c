package coaching_test

import (
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
)

const (
	anna  domain.UserID = "U0ANNA"
	bruno domain.UserID = "U0BRUNO"
)

// at parses "2006-01-02 15:04" in UTC.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// date parses "2006-01-02".
func date(t testing.TB, s string) domain.Date {
	t.Helper()
	d, err := domain.ParseISODate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// created returns the history entries of a deal's creation at when: one per
// field the rules read, Old empty, in the order the store writes them.
func created(d *domain.Deal, when time.Time) []domain.HistoryEntry {
	var h []domain.HistoryEntry
	for _, f := range []domain.Field{domain.FieldStage, domain.FieldCloseDate, domain.FieldNextStep, domain.FieldStatus} {
		h = append(h, domain.HistoryEntry{Deal: d.ID, At: when, By: d.Owner, Field: f, New: d.Get(f)})
	}
	return h
}

// change returns one history entry.
func change(id domain.DealID, when time.Time, f domain.Field, old, new string) domain.HistoryEntry {
	return domain.HistoryEntry{Deal: id, At: when, Field: f, Old: old, New: new}
}

func keys(ns []coaching.Nudge) []string {
	var ks []string
	for _, n := range ns {
		ks = append(ks, n.Key)
	}
	return ks
}
