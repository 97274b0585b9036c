package bot_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/store"
)

// TestFormWithoutVersionRefused submits the update and next-step forms
// with a forged or missing version (0, or one the deal never had) and
// without a submission key: each is refused with a clear message, and the
// deal is unchanged. 0 is never "the latest".
func TestFormWithoutVersionRefused(t *testing.T) {
	cfg, err := config.Parse("sample.yaml", []byte(sample.Config), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "ow.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	d, err := db.CreateDeal(ctx, &domain.Deal{Name: "Forged", Account: "Forged", Owner: sample.Rep1, Amount: 4_800_000, Currency: "EUR",
		Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20), NextStep: "Call back",
		NextStepDue: domain.NewDate(2026, 11, 30), Status: domain.Open}, sample.Rep1, "")
	if err != nil {
		t.Fatal(err)
	}
	c := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	update := bot.Values{domain.FieldAmount: "1k", domain.FieldStage: "Qualification", domain.FieldCloseDate: "2026-12-20",
		domain.FieldNextStep: "Call back", domain.FieldNextStepDue: "2026-11-30"}
	next := bot.Values{domain.FieldNextStep: "Forged step", domain.FieldNextStepDue: "2026-12-01"}
	plan := bot.Values{desk.FieldPlan: "2026-12-01 | customer | Forged review"}
	tests := []struct {
		name    string
		form    bot.FormKind
		version uint64
		key     string
		vals    bot.Values
		wantKey string // the refusal's message; "" for an internal error
	}{
		{"UpdateVersionZero", bot.FormUpdateDeal, 0, "view:V1", update, "form.no_version"},
		{"UpdateFutureVersion", bot.FormUpdateDeal, d.Version + 5, "view:V2", update, "form.no_version"},
		{"NextStepVersionZero", bot.FormNextStep, 0, "view:V3", next, "form.no_version"},
		{"NextStepFutureVersion", bot.FormNextStep, d.Version + 1, "view:V4", next, "form.no_version"},
		{"UpdateWithoutKey", bot.FormUpdateDeal, d.Version, "", update, ""},
		{"NextStepWithoutKey", bot.FormNextStep, d.Version, "", next, ""},
		// The plan form is opened on the plan's version: 1 for none yet.
		{"PlanVersionZero", bot.FormPlan, 0, "view:V5", plan, "form.no_version"},
		{"PlanFutureVersion", bot.FormPlan, 2, "view:V6", plan, "form.no_version"},
		{"PlanWithoutKey", bot.FormPlan, 1, "", plan, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta := bot.FormMeta{Deal: d.ID, Version: tt.version, Channel: sample.SalesChannel}
			reply, err := b.Forms()[tt.form](ctx, c, meta, tt.vals, tt.key)
			var e *domain.Error
			switch {
			case err == nil:
				t.Fatalf("accepted: %T", reply)
			case tt.wantKey == "" && domain.ErrorCode(err) != domain.EINTERNAL:
				t.Fatalf("err = %v; want an internal error", err)
			case tt.wantKey != "" && (!errors.As(err, &e) || e.Key != tt.wantKey):
				t.Fatalf("err = %v; want %s", err, tt.wantKey)
			}
			if got, _ := db.Deal(ctx, d.ID); got.Version != d.Version {
				t.Errorf("the refused form changed the deal: version %d → %d", d.Version, got.Version)
			}
			if p, v, err := db.PlanVersion(ctx, d.ID); err != nil || v != 1 || len(p.Milestones) != 0 {
				t.Errorf("the refused form saved a plan: %+v, version %d (%v)", p, v, err)
			}
		})
	}
}

// TestReminderDoneWithoutVersionRefused: a reminder's Done button whose
// value names no version (a reminder sent before buttons carried one, or a
// forged value) clears nothing.
func TestReminderDoneWithoutVersionRefused(t *testing.T) {
	cfg, err := config.Parse("sample.yaml", []byte(sample.Config), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "ow.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	ctx := context.Background()
	d, err := db.CreateDeal(ctx, &domain.Deal{Name: "Old reminder", Account: "Old", Owner: sample.Rep1, Amount: 4_800_000, Currency: "EUR",
		Stage: "Qualification", Category: domain.Pipeline, CloseDate: domain.NewDate(2026, 12, 20), NextStep: "Call back",
		NextStepDue: domain.NewDate(2026, 11, 20), Status: domain.Open}, sample.Rep1, "")
	if err != nil {
		t.Fatal(err)
	}
	c := bot.Caller{User: sample.Rep1}
	for _, value := range []string{fmt.Sprint(uint64(d.ID)), fmt.Sprint(uint64(d.ID)) + ":0"} {
		_, err := b.Action(ctx, c, bot.ActionNudgeDone, value)
		var e *domain.Error
		if !errors.As(err, &e) || e.Key != "form.no_version" {
			t.Errorf("Done %q: err = %v; want form.no_version", value, err)
		}
	}
	if got, _ := db.Deal(ctx, d.ID); got.NextStep != "Call back" || got.Version != d.Version {
		t.Errorf("Done without a version cleared the next step: %q, version %d → %d", got.NextStep, d.Version, got.Version)
	}
	// With the version the reminder showed, it is done.
	reply, err := b.Action(ctx, c, bot.ActionNudgeDone, bot.NudgeDoneValue(d))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := reply.(bot.OpenForm); !ok {
		t.Errorf("Done answered %T, want the next-step form", reply)
	}
	if got, _ := db.Deal(ctx, d.ID); got.NextStep != "" {
		t.Errorf("Done kept the next step %q", got.NextStep)
	}
}
