package bot_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// A second team, so "manager of another team" is a role.
const (
	otherManager domain.UserID = "U0MGR2"
	otherRep     domain.UserID = "U0REP4"
	stranger     domain.UserID = "U0STRANGER"
)

func securityConfig(t *testing.T) *config.Config {
	t.Helper()
	team := "    channel: C0FORECAST\n"
	yaml := strings.Replace(sample.Config, team, team+"  - name: Germany\n    manager: U0MGR2\n    members: [U0REP4]\n    channel: C0FORECAST\n", 1)
	cfg, err := config.Parse("security.yaml", []byte(yaml), sample.IDs())
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Teams) != 2 {
		t.Fatalf("%d teams", len(cfg.Teams))
	}
	return cfg
}

// The roles, against a deal owned by Rep1 (team France, managed by Manager).
var roles = []struct {
	name string
	user domain.UserID
}{
	{"Owner", sample.Rep1},
	{"OtherRep", sample.Rep2},
	{"Manager", sample.Manager},
	{"ManagerOfAnotherTeam", otherManager},
	{"ApproverOfAnotherRole", sample.VP},
	{"Admin", sample.Admin},
	{"Unknown", stranger},
}

// TestEveryActionAgainstEveryRole runs each action on a fresh deal of Rep1
// as each role: the allowed ones succeed, the others get EFORBIDDEN (a
// message for the user, never an internal error) and change nothing. The
// rules: domain.CanRead first (with visibility: team, a deal of another
// team is "no such deal", ENOTFOUND, for every command that names it), then
// domain.CanEdit for changes, domain.CanReassign for the owner.
func TestEveryActionAgainstEveryRole(t *testing.T) {
	cfg := securityConfig(t)
	clock := domain.NewManualClock(fuzzNow)
	db, err := store.Open(filepath.Join(t.TempDir(), "sec.db"), store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	deal := b.Commands()["/deal"]
	forms := b.Forms()
	ctx := context.Background()

	editors := "Owner Manager Admin"
	// Reading is open to the owner's team and admins (visibility: team).
	readers := "Owner OtherRep Manager Admin"
	known := readers
	actions := []struct {
		name    string
		allowed string
		// run does the action on d as c; command text gets "REF" replaced.
		text string
		form bot.FormKind
		vals bot.Values
	}{
		{name: "Show", allowed: known, text: "show REF"},
		{name: "History", allowed: known, text: "history REF"},
		{name: "Update", allowed: editors, text: "update REF"},
		{name: "Amount", allowed: editors, text: "amount REF 48k"},
		{name: "Stage", allowed: editors, text: "stage REF discovery"},
		{name: "Next", allowed: editors, text: "next REF Send the proposal by fri"},
		{name: "Close", allowed: editors, text: "close REF 2026-12-18"},
		{name: "Category", allowed: editors, text: "commit REF"},
		{name: "Won", allowed: editors, text: "won REF"},
		{name: "Lost", allowed: editors, text: "lost REF competitor"},
		{name: "Owner", allowed: "Manager Admin", text: "owner REF @rep3"},
		{name: "ListOfTheOwner", allowed: readers, text: "list @rep1"},
		{name: "UpdateModalSubmission", allowed: editors, form: bot.FormUpdateDeal,
			vals: bot.Values{domain.FieldAmount: "31k", domain.FieldStage: "Qualification", domain.FieldCloseDate: "2026-12-20",
				domain.FieldNextStep: "Call back", domain.FieldNextStepDue: "2026-11-30"}},
		{name: "NextStepModalSubmission", allowed: editors, form: bot.FormNextStep,
			vals: bot.Values{domain.FieldNextStep: "Demo", domain.FieldNextStepDue: "2026-12-01"}},
		{name: "NewDealModalSubmission", allowed: "Owner OtherRep Manager ManagerOfAnotherTeam ApproverOfAnotherRole Admin", form: bot.FormNewDeal,
			vals: bot.Values{domain.FieldName: "Sec new", domain.FieldAccount: "Sec", domain.FieldAmount: "10k", domain.FieldCloseDate: "2026-12-20",
				domain.FieldStage: "Qualification", domain.FieldNextStep: "Call", domain.FieldNextStepDue: "2026-11-30"}},
	}
	n := 0
	for _, a := range actions {
		t.Run(a.name, func(t *testing.T) {
			for _, r := range roles {
				t.Run(r.name, func(t *testing.T) {
					n++
					d, err := db.CreateDeal(ctx, &domain.Deal{Name: fmt.Sprintf("Security deal %d", n), Account: fmt.Sprintf("Sec %d", n),
						Owner: sample.Rep1, Amount: 2_000_000, Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline,
						CloseDate: domain.NewDate(2026, 12, 20), NextStep: "Call back", NextStepDue: domain.NewDate(2026, 11, 30),
						Need: "Replace spreadsheets", Status: domain.Open}, sample.Rep1, "")
					if err != nil {
						t.Fatal(err)
					}
					c := bot.Caller{User: r.user, Channel: sample.SalesChannel, Mentions: map[string]domain.UserID{"@rep1": sample.Rep1, "@rep3": "U0REP3"}}
					var reply bot.Reply
					if a.form != "" {
						meta := bot.FormMeta{Deal: d.ID, Version: d.Version, Channel: sample.SalesChannel}
						reply, err = forms[a.form](ctx, c, meta, a.vals, fmt.Sprintf("view:sec%d", n))
					} else {
						h, _, args := deal.Route(strings.ReplaceAll(a.text, "REF", d.ID.Ref()))
						reply, err = h(ctx, c, args)
					}
					allowed := strings.Contains(" "+a.allowed+" ", " "+r.name+" ")
					want := domain.EFORBIDDEN
					if a.form == "" && strings.Contains(a.text, "REF") && r.user != stranger && !strings.Contains(" "+readers+" ", " "+r.name+" ") {
						want = domain.ENOTFOUND // another team's deal does not exist for them
					}
					after, gerr := db.Deal(ctx, d.ID)
					if gerr != nil {
						t.Fatal(gerr)
					}
					if a.name == "Update" && want == domain.ENOTFOUND {
						// As for a deal that does not exist: the picker, whose
						// suggestions are the caller's own deals.
						if f, ok := reply.(bot.OpenForm); !ok || f.Form.Kind != bot.FormPickDeal || err != nil {
							t.Errorf("%s: update of another team's deal = %T, %v; want the picker as for no such deal", r.name, reply, err)
						}
						return
					}
					switch {
					case allowed && err != nil:
						t.Errorf("%s may %s, got %v", r.name, a.name, err)
					case allowed && reply == nil:
						t.Errorf("%s: no reply", r.name)
					case !allowed && err == nil:
						t.Errorf("%s may not %s, but it succeeded: %T", r.name, a.name, reply)
					case !allowed && domain.ErrorCode(err) != want:
						t.Errorf("%s refused with %s (%v), want %s", r.name, domain.ErrorCode(err), err, want)
					case !allowed && after.Version != d.Version:
						t.Errorf("a refused %s changed the deal (version %d → %d)", a.name, d.Version, after.Version)
					}
				})
			}
		})
	}
}

// TestOversizedInputsRefusedClearly sends 10,000-character inputs: the
// refusal names the field and its limit; nothing is stored.
func TestOversizedInputsRefusedClearly(t *testing.T) {
	b := newFuzzBot(t)
	ctx := context.Background()
	c := bot.Caller{User: sample.Rep1, Channel: sample.SalesChannel}
	huge := strings.Repeat("é", 10_000)
	t.Run("NewDealName", func(t *testing.T) {
		_, err := b.Forms()[bot.FormNewDeal](ctx, c, bot.FormMeta{}, bot.Values{domain.FieldName: huge, domain.FieldAccount: "Acme",
			domain.FieldAmount: "10k", domain.FieldCloseDate: "2026-12-20", domain.FieldStage: "Qualification",
			domain.FieldNextStep: "Call", domain.FieldNextStepDue: "2026-11-30"}, "view:huge")
		var es domain.Errors
		onName := false
		if errors.As(err, &es) {
			for _, e := range es {
				onName = onName || e.Field == domain.FieldName
			}
		}
		if !onName {
			t.Fatalf("a 10,000-character name: %v, want an error on the name field", err)
		}
	})
	for _, text := range []string{"next D-1 " + huge + " by fri", "lost D-1 " + huge, "show " + huge, "list " + huge, huge} {
		name := strings.Fields(text)[0]
		if len(name) > 10 {
			name = "Bare"
		}
		t.Run("Slash"+name, func(t *testing.T) {
			h, _, args := b.Commands()["/deal"].Route(text)
			reply, err := h(ctx, c, args)
			if err == nil {
				if _, isHelp := reply.(bot.Help); isHelp {
					return // unknown words: the help, which is an answer
				}
				t.Fatalf("a 10,000-character input was accepted: %T", reply)
			}
			if domain.ErrorCode(err) == domain.EINTERNAL {
				t.Fatalf("internal error: %v", err)
			}
		})
	}
}
