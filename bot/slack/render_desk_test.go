package slack

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
	"github.com/dealpilot/dealpilot/store"
)

// deskPolicy is the sample team's deal desk (sample.DeskPolicy) with a
// second finance approver and no non-standard terms rule.
func deskPolicy() desk.Policy {
	p := sample.DeskPolicy()
	p.Roles = map[desk.Role][]domain.UserID{"vp": {"U0VP"}, "finance": {"U0FIN", "U0FIN2"}}
	p.NonStandard = nil
	return p
}

// deskRequests returns a request on openDeal in each state, decided by the
// rules themselves.
func deskRequests(t *testing.T) map[string]*desk.Request {
	t.Helper()
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	plan := desk.Plan{Milestones: []desk.Milestone{{What: "Security review", Side: desk.Customer, Due: domain.NewDate(2026, 12, 1), Done: true}}}
	mk := func(bp int, terms ...desk.Term) *desk.Request {
		d := desk.Draft{Deal: 12, Requester: "U0REP1", DiscountBP: bp, ListAmount: 4_800_000, Currency: "EUR",
			Justification: "Rival <!here> quoted 20% less", Competitor: "Rival & Co", Terms: terms, Plan: plan}
		if len(terms) > 0 {
			d.OtherTerms = "Quarterly invoicing"
		}
		r, err := desk.NewRequest(deskPolicy(), d, "U0MGR", at)
		if err != nil {
			t.Fatal(err)
		}
		r.ID = 7
		return r
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]*desk.Request{}
	out["pending_step1"] = mk(2500)
	r := mk(4000, desk.TermPaymentTerms, desk.TermOther)
	must(r.Decide("U0MGR", desk.Approve, "OK given the 3-year term", at.Add(time.Hour)))
	out["pending_step2"] = r
	r = mk(2500)
	must(r.Decide("U0MGR", desk.Approve, "", at.Add(time.Hour)))
	must(r.Decide("U0VP", desk.Approve, "ok for me", at.Add(2*time.Hour)))
	out["approved"] = r
	out["auto_approved"] = mk(800)
	r = mk(1500)
	must(r.Decide("U0MGR", desk.Reject, "Margin too thin", at.Add(time.Hour)))
	out["rejected"] = r
	r = mk(2500)
	must(r.Decide("U0MGR", desk.Changes, "Ask for a 2-year term", at.Add(time.Hour)))
	out["changes_requested"] = r
	r = mk(1500)
	r.Expire(at.AddDate(0, 0, 15))
	out["expired"] = r
	return out
}

func TestRenderDeskRequestGolden(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	plan := desk.Plan{Milestones: []desk.Milestone{
		{What: "Order form signed", Side: desk.Customer, Due: domain.NewDate(2026, 12, 15)},
		{What: "Security review", Side: desk.Customer, Due: domain.NewDate(2026, 12, 1), Done: true},
	}}
	for name, r := range deskRequests(t) {
		t.Run(name, func(t *testing.T) {
			v := bot.DeskRequestView{Request: r, Deal: openDeal(), Plan: plan, Zone: paris}
			m := renderReply(i18n.EN, v)
			golden(t, "desk_request_"+name+"_en", m)
			if name == "pending_step2" {
				golden(t, "desk_request_"+name+"_fr", renderReply(i18n.FR, v))
			}
			raw, _ := json.Marshal(m)
			if strings.Contains(string(raw), "<!here>") {
				t.Error("user text pings the channel")
			}
			hasButtons := strings.Contains(string(raw), bot.ActionDeskApprove)
			if hasButtons != (r.Status == desk.StatusPending) {
				t.Errorf("buttons shown = %v in status %s", hasButtons, r.Status)
			}
		})
	}
}

func TestRenderDeskApprovals(t *testing.T) {
	r := deskRequests(t)["pending_step1"]
	m := renderReply(i18n.EN, bot.DeskApprovals{Items: []bot.DeskApproval{{Request: r, Deal: openDeal(),
		Thread: desk.Thread{Channel: "C0DESK", Ref: "1795638383.740316"}}}, Zone: time.UTC})
	golden(t, "desk_approvals_en", m)
	raw, _ := json.Marshal(m)
	if !strings.Contains(string(raw), "https://slack.com/archives/C0DESK/p1795638383740316") {
		t.Errorf("no permalink in %s", raw)
	}
}

// TestRenderDeskFormPreviewGolden renders the discount form as the live
// preview shows it while the rep types: the figures of 25 % with payment
// terms, and a discount that does not read as one.
func TestRenderDeskFormPreviewGolden(t *testing.T) {
	cases := []struct {
		name string
		v    bot.Values
	}{
		{"preview", bot.Values{desk.FieldDiscount: "25", desk.FieldTerms: "payment_terms", desk.FieldJustification: "Rival quoted 20% less"}},
		{"preview_bad", bot.Values{desk.FieldDiscount: "120"}},
	}
	for _, loc := range []i18n.Locale{i18n.EN, i18n.FR} {
		cfg, err := config.Parse("sample.yaml", []byte(sample.Config), IDs())
		if err != nil {
			t.Fatal(err)
		}
		cfg.Locale = loc
		db, err := store.Open(filepath.Join(t.TempDir(), "dealpilot.db"), store.Options{Clock: domain.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		d := openDeal()
		d.ID, d.Version = 0, 0
		d, err = db.CreateDeal(t.Context(), d, d.Owner, "")
		if err != nil {
			t.Fatal(err)
		}
		b := bot.New(bot.Options{Store: db, Config: cfg})
		change := b.Changes()[bot.FormDiscount]
		for _, c := range cases {
			t.Run(c.name+"_"+string(loc), func(t *testing.T) {
				f, err := change(t.Context(), bot.Caller{User: d.Owner, Channel: "C0SALES"}, bot.FormMeta{Deal: d.ID, Version: d.Version, Channel: "C0SALES"}, c.v)
				if err != nil {
					t.Fatal(err)
				}
				modal, err := renderModal(loc, f)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, "desk_modal_"+c.name+"_"+string(loc), modal)
			})
		}
	}
}
