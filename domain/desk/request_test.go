package desk_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

func TestNewRequest(t *testing.T) {
	tests := []struct {
		name      string
		change    func(*desk.Draft)
		manager   domain.UserID
		want      []string // error keys
		status    desk.Status
		steps     int
		net       int64
		wantTerms []desk.Term
	}{
		{name: "OK", change: func(d *desk.Draft) { d.DiscountBP = 1500 }, manager: mgr,
			status: desk.StatusPending, steps: 1, net: 4_080_000},
		{name: "AutoApproved", change: func(d *desk.Draft) { d.DiscountBP = 1000 }, manager: mgr,
			status: desk.StatusApproved, steps: 0, net: 4_320_000},
		{name: "TermsInCanonicalOrderOnce", manager: mgr, change: func(d *desk.Draft) {
			d.DiscountBP = 500
			d.Terms = []desk.Term{desk.TermOther, desk.TermPaymentTerms, desk.TermOther}
			d.OtherTerms = "  Quarterly invoicing "
		}, status: desk.StatusPending, steps: 2, net: 4_560_000, wantTerms: []desk.Term{desk.TermPaymentTerms, desk.TermOther}},
		{name: "PlanNotNeededAtExactly20", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 2000; d.Plan = desk.Plan{} },
			status: desk.StatusPending, steps: 1, net: 3_840_000},
		{name: "ErrZeroDiscount", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 0 }, want: []string{"desk.discount_zero"}},
		{name: "ErrNegativeDiscount", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = -100 }, want: []string{"desk.discount_zero"}},
		{name: "ErrOver100", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 10001 }, want: []string{"desk.discount_too_big"}},
		{name: "ErrNoJustification", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 1500; d.Justification = " \n" },
			want: []string{"desk.justification_required"}},
		{name: "ErrJustificationTooLong", manager: mgr, change: func(d *desk.Draft) {
			d.DiscountBP = 1500
			d.Justification = strings.Repeat("é", domain.MaxTextLen+1)
		}, want: []string{"desk.too_long"}},
		{name: "ErrNoAmount", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 1500; d.ListAmount = 0 }, want: []string{"desk.no_amount"}},
		{name: "ErrUnknownTerm", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 1500; d.Terms = []desk.Term{"free_lunch"} },
			want: []string{"desk.unknown_term"}},
		{name: "ErrOtherWithoutText", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 1500; d.Terms = []desk.Term{desk.TermOther} },
			want: []string{"desk.other_terms_required"}},
		{name: "ErrTextWithoutOther", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 1500; d.OtherTerms = "Net 90" },
			want: []string{"desk.other_terms_unticked"}},
		{name: "ErrPlanRequired", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 2001; d.Plan = desk.Plan{} },
			want: []string{"desk.plan_required"}},
		{name: "ErrNoManager", manager: "", change: func(d *desk.Draft) { d.DiscountBP = 1500 }, want: []string{"desk.no_manager"}},
		{name: "ErrRequesterIsOnlyHolder", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 3000; d.Requester = vp },
			want: []string{"desk.no_approver"}},
		{name: "ErrManagerRequestsOwn", manager: mgr, change: func(d *desk.Draft) { d.DiscountBP = 1500; d.Requester = mgr },
			want: []string{"desk.no_approver"}},
		{name: "ErrEverythingAtOnce", manager: mgr, change: func(d *desk.Draft) {
			d.DiscountBP, d.Justification, d.Currency, d.OtherTerms = 0, "", "eur", "x"
		}, want: []string{"desk.discount_zero", "desk.justification_required", "deal.bad_currency", "desk.other_terms_unticked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := draft(0)
			tt.change(&d)
			r, err := desk.NewRequest(testPolicy(), d, tt.manager, t0)
			if got := keys(t, err); !slices.Equal(got, tt.want) {
				t.Fatalf("errors = %v, want %v", got, tt.want)
			}
			if err != nil {
				return
			}
			if r.Status != tt.status || len(r.Steps) != tt.steps || r.NetAmount != tt.net {
				t.Fatalf("status %s, %d steps, net %d; want %s, %d, %d", r.Status, len(r.Steps), r.NetAmount, tt.status, tt.steps, tt.net)
			}
			if r.Cost()+r.NetAmount != r.ListAmount {
				t.Errorf("cost %d + net %d != list %d", r.Cost(), r.NetAmount, r.ListAmount)
			}
			if !slices.Equal(r.Terms, tt.wantTerms) {
				t.Errorf("terms = %v, want %v", r.Terms, tt.wantTerms)
			}
			if r.Revision != 1 || !r.CreatedAt.Equal(t0) || !r.ExpiresAt.Equal(t0.AddDate(0, 0, 14)) {
				t.Errorf("revision %d, created %v, expires %v", r.Revision, r.CreatedAt, r.ExpiresAt)
			}
			if r.AutoApproved() != (tt.status == desk.StatusApproved) {
				t.Errorf("AutoApproved = %v", r.AutoApproved())
			}
		})
	}
}

// action is one call in a request's life.
type action struct {
	by      domain.UserID
	verdict desk.Verdict
	comment string
	after   time.Duration // since t0
}

func TestDecide(t *testing.T) {
	const hour = time.Hour
	tests := []struct {
		name    string
		draft   desk.Draft
		actions []action // all but the last must succeed
		code    string   // of the last action's error; "" for none
		key     string
		mention domain.UserID // the error message must name this user
		status  desk.Status   // after the last action
		current int
	}{
		{name: "OKOneLevel", draft: draft(1500), actions: []action{{mgr, desk.Approve, "", hour}},
			status: desk.StatusApproved, current: 1},
		{name: "OKThreeLevels", draft: draft(5000),
			actions: []action{{mgr, desk.Approve, "ok", hour}, {vp, desk.Approve, "", 2 * hour}, {fin2, desk.Approve, "fine", 3 * hour}},
			status:  desk.StatusApproved, current: 3},
		{name: "OKFirstOfThree", draft: draft(5000), actions: []action{{mgr, desk.Approve, "", hour}},
			status: desk.StatusPending, current: 1},
		{name: "OKRejection", draft: draft(3000),
			actions: []action{{mgr, desk.Approve, "", hour}, {vp, desk.Reject, "Margin too thin", 2 * hour}},
			status:  desk.StatusRejected, current: 1},
		{name: "OKChanges", draft: draft(1500), actions: []action{{mgr, desk.Changes, "Drop the SLA", hour}},
			status: desk.StatusChangesRequested},
		{name: "OKTermStep", draft: draft(500, desk.TermPaymentTerms), actions: []action{{fin2, desk.Approve, "", hour}},
			status: desk.StatusApproved, current: 1},
		{name: "ErrRejectWithoutReason", draft: draft(1500), actions: []action{{mgr, desk.Reject, "  ", hour}},
			code: domain.EINVALID, key: "desk.reason_required", status: desk.StatusPending},
		{name: "ErrChangesWithoutWhat", draft: draft(1500), actions: []action{{mgr, desk.Changes, "", hour}},
			code: domain.EINVALID, key: "desk.changes_required", status: desk.StatusPending},
		{name: "ErrBadVerdict", draft: draft(1500), actions: []action{{mgr, "maybe", "", hour}},
			code: domain.EINVALID, key: "desk.bad_verdict", status: desk.StatusPending},
		{name: "ErrSelfApproval", draft: func() desk.Draft { d := draft(500, desk.TermPaymentTerms); d.Requester = fin; return d }(),
			actions: []action{{fin, desk.Approve, "", hour}},
			code:    domain.EFORBIDDEN, key: "desk.self_approval", mention: fin2, status: desk.StatusPending},
		{name: "ErrSelfApprovalWithoutRole", draft: draft(1500), actions: []action{{rep, desk.Approve, "", hour}},
			code: domain.EFORBIDDEN, key: "desk.self_decision", mention: mgr, status: desk.StatusPending},
		{name: "ErrSelfRejection", draft: func() desk.Draft { d := draft(500, desk.TermPaymentTerms); d.Requester = fin; return d }(),
			actions: []action{{fin, desk.Reject, "never mind", hour}},
			code:    domain.EFORBIDDEN, key: "desk.self_decision", mention: fin2, status: desk.StatusPending},
		{name: "ErrWrongApprover", draft: draft(1500), actions: []action{{rep2, desk.Approve, "", hour}},
			code: domain.EFORBIDDEN, key: "desk.not_approver", mention: mgr, status: desk.StatusPending},
		{name: "ErrLaterApproverTooEarly", draft: draft(5000), actions: []action{{vp, desk.Approve, "", hour}},
			code: domain.EFORBIDDEN, key: "desk.not_yet", mention: mgr, status: desk.StatusPending},
		{name: "ErrStaleDecision", draft: draft(1500),
			actions: []action{{mgr, desk.Approve, "", hour}, {mgr, desk.Approve, "", 2 * hour}},
			code:    domain.ECONFLICT, key: "desk.state.approved", mention: mgr, status: desk.StatusApproved, current: 1},
		{name: "ErrStaleAfterRejection", draft: draft(1500),
			actions: []action{{mgr, desk.Reject, "No", hour}, {mgr, desk.Approve, "", 2 * hour}},
			code:    domain.ECONFLICT, key: "desk.state.rejected", mention: mgr, status: desk.StatusRejected},
		{name: "ErrStaleAfterChanges", draft: draft(1500),
			actions: []action{{mgr, desk.Changes, "Shorter term", hour}, {mgr, desk.Approve, "", 2 * hour}},
			code:    domain.ECONFLICT, key: "desk.state.changes", mention: rep, status: desk.StatusChangesRequested},
		{name: "ErrSameStepTwice", draft: draft(500, desk.TermPaymentTerms, desk.TermCustomSLA),
			actions: []action{{fin, desk.Approve, "", hour}, {fin2, desk.Approve, "", hour}},
			code:    domain.ECONFLICT, key: "desk.state.step_done", mention: fin, status: desk.StatusPending, current: 1},
		{name: "ErrAutoApproved", draft: draft(800), actions: []action{{mgr, desk.Approve, "", hour}},
			code: domain.ECONFLICT, key: "desk.state.auto_approved", status: desk.StatusApproved},
		{name: "ErrExpired", draft: draft(1500), actions: []action{{mgr, desk.Approve, "", 14 * 24 * hour}},
			code: domain.ECONFLICT, key: "desk.state.expired", status: desk.StatusPending},
		{name: "OKJustBeforeExpiry", draft: draft(1500), actions: []action{{mgr, desk.Approve, "", 14*24*hour - time.Nanosecond}},
			status: desk.StatusApproved, current: 1},
		{name: "ErrCommentTooLong", draft: draft(1500), actions: []action{{mgr, desk.Approve, strings.Repeat("x", domain.MaxTextLen+1), hour}},
			code: domain.EINVALID, key: "desk.too_long", status: desk.StatusPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRequest(t, tt.draft)
			last := len(tt.actions) - 1
			for i, a := range tt.actions[:last] {
				if err := r.Decide(a.by, a.verdict, a.comment, t0.Add(a.after)); err != nil {
					t.Fatalf("action %d (%s %s): %v", i, a.by, a.verdict, err)
				}
			}
			a := tt.actions[last]
			before := r.Clone()
			err := r.Decide(a.by, a.verdict, a.comment, t0.Add(a.after))
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Decide: %v", err)
				}
				d, _ := r.LastDecision()
				want := desk.Decision{Revision: 1, Step: before.Current, Role: before.Steps[before.Current].Role,
					By: a.by, At: t0.Add(a.after), Verdict: a.verdict, Comment: strings.TrimSpace(a.comment)}
				if d != want {
					t.Errorf("decision = %+v, want %+v", d, want)
				}
			} else {
				e := checkErr(t, err, tt.code, tt.key)
				if !reflect.DeepEqual(r, before) {
					t.Errorf("a refused decision changed the request:\n%+v\n%+v", before, r)
				}
				if tt.mention != "" && !names(e, tt.mention) {
					t.Errorf("message %q does not name %s", e.Error(), tt.mention)
				}
				if tt.key == "desk.self_approval" || tt.key == "desk.self_decision" {
					if names(e, a.by) {
						t.Errorf("message %q offers the requester as approver", e.Error())
					}
				}
			}
			if r.Status != tt.status || r.Current != tt.current {
				t.Fatalf("status %s at step %d, want %s at %d", r.Status, r.Current, tt.status, tt.current)
			}
		})
	}
}

// TestStaleMessage checks what a late click reads, in both languages.
func TestStaleMessage(t *testing.T) {
	r := mustRequest(t, draft(1500))
	if err := r.Decide(mgr, desk.Approve, "", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	err := r.Decide(mgr, desk.Reject, "changed my mind", t0.Add(2*time.Hour))
	for loc, want := range map[i18n.Locale]string{
		i18n.EN: "This request was already approved by @U0MGR on Nov 2, 2026, 10:00 UTC.",
		i18n.FR: "Cette demande a déjà été approuvée par @U0MGR le 2 nov. 2026 à 10:00 UTC.",
	} {
		if got := i18n.ErrorMessage(loc, err); got != want {
			t.Errorf("%s:\n got %q\nwant %q", loc, got, want)
		}
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	if paris != nil {
		if got := i18n.Localize(i18n.EN, desk.Moment(t0.Add(time.Hour).In(paris))); got != "Nov 2, 2026, 11:00 CET" {
			t.Errorf("Moment in Paris = %q", got)
		}
	}
}

func TestWrongApproverMessage(t *testing.T) {
	d := draft(500, desk.TermPaymentTerms)
	r := mustRequest(t, d)
	err := r.Decide(vp, desk.Approve, "", t0)
	want := "Only @U0FIN or @U0FIN2 can decide this request now: it waits on step 1 of 1 (finance)."
	if got := i18n.ErrorMessage(i18n.EN, err); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestChangesThenRevision(t *testing.T) {
	r := mustRequest(t, draft(5000))
	r.ID, r.Version = 7, 3
	step := func(by domain.UserID, v desk.Verdict, comment string, at time.Duration) {
		t.Helper()
		if err := r.Decide(by, v, comment, t0.Add(at)); err != nil {
			t.Fatalf("%s %s: %v", by, v, err)
		}
	}
	step(mgr, desk.Approve, "", time.Hour)
	step(vp, desk.Changes, "Ask for a 3-year term instead", 2*time.Hour)
	if r.Status != desk.StatusChangesRequested || r.ClosedBy != vp {
		t.Fatalf("status %s by %s, want changes_requested by vp", r.Status, r.ClosedBy)
	}

	revisedAt := t0.Add(26 * time.Hour)
	revised := draft(1800)
	revised.Justification = "3-year term agreed; smaller discount"
	t.Run("ErrNotRequester", func(t *testing.T) {
		before := r.Clone()
		checkErr(t, r.Revise(mgr, revised, testPolicy(), mgr, revisedAt), domain.EFORBIDDEN, "desk.revise_not_yours")
		if !reflect.DeepEqual(r, before) {
			t.Fatal("refused revision changed the request")
		}
	})
	t.Run("ErrInvalidDraft", func(t *testing.T) {
		before := r.Clone()
		bad := revised
		bad.Justification = ""
		if got := keys(t, r.Revise(rep, bad, testPolicy(), mgr, revisedAt)); !slices.Equal(got, []string{"desk.justification_required"}) {
			t.Fatalf("errors = %v", got)
		}
		if !reflect.DeepEqual(r, before) {
			t.Fatal("refused revision changed the request")
		}
	})
	t.Run("OK", func(t *testing.T) {
		if err := r.Revise(rep, revised, testPolicy(), mgr, revisedAt); err != nil {
			t.Fatal(err)
		}
		switch {
		case r.Status != desk.StatusPending, r.Revision != 2, r.Current != 0, len(r.Steps) != 1:
			t.Fatalf("status %s revision %d step %d of %d", r.Status, r.Revision, r.Current, len(r.Steps))
		case r.ID != 7, r.Version != 3, !r.CreatedAt.Equal(t0), !r.SubmittedAt.Equal(revisedAt):
			t.Fatalf("identity lost: id %d version %d created %v submitted %v", r.ID, r.Version, r.CreatedAt, r.SubmittedAt)
		case !r.ExpiresAt.Equal(revisedAt.AddDate(0, 0, 14)), !r.ClosedAt.IsZero(), r.ClosedBy != "":
			t.Fatalf("expires %v closed %v by %q", r.ExpiresAt, r.ClosedAt, r.ClosedBy)
		case len(r.Decisions) != 2 || r.Decisions[1].Verdict != desk.Changes:
			t.Fatalf("history lost: %+v", r.Decisions)
		case r.DiscountBP != 1800 || r.NetAmount != 3_936_000:
			t.Fatalf("discount %d net %d", r.DiscountBP, r.NetAmount)
		}
		if _, ok := r.StepDecision(0); ok {
			t.Fatal("revision 2 inherits a decision of revision 1")
		}
	})
	t.Run("ErrReviseWhilePending", func(t *testing.T) {
		checkErr(t, r.Revise(rep, revised, testPolicy(), mgr, revisedAt), domain.ECONFLICT, "desk.revise_pending")
	})
	t.Run("ChainRestartsAndFinishes", func(t *testing.T) {
		step(mgr, desk.Approve, "Better", 27*time.Hour)
		if r.Status != desk.StatusApproved || len(r.Decisions) != 3 || r.Decisions[2].Revision != 2 {
			t.Fatalf("status %s decisions %+v", r.Status, r.Decisions)
		}
	})
	t.Run("ErrReviseWhenFinal", func(t *testing.T) {
		checkErr(t, r.Revise(rep, revised, testPolicy(), mgr, revisedAt), domain.ECONFLICT, "desk.state.approved")
	})
}

func TestExpire(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(*desk.Request)
		at      time.Duration
		want    bool
		status  desk.Status
	}{
		{"NotYet", func(*desk.Request) {}, 14*24*time.Hour - time.Second, false, desk.StatusPending},
		{"Exactly", func(*desk.Request) {}, 14 * 24 * time.Hour, true, desk.StatusExpired},
		{"Later", func(*desk.Request) {}, 30 * 24 * time.Hour, true, desk.StatusExpired},
		{"DecidedDoesNotExpire", func(r *desk.Request) { _ = r.Decide(mgr, desk.Approve, "", t0) }, 30 * 24 * time.Hour, false, desk.StatusApproved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRequest(t, draft(1500))
			tt.prepare(r)
			if got := r.Expire(t0.Add(tt.at)); got != tt.want || r.Status != tt.status {
				t.Fatalf("Expire = %v, status %s; want %v, %s", got, r.Status, tt.want, tt.status)
			}
			if tt.want {
				if !r.ClosedAt.Equal(r.ExpiresAt) || len(r.Waiting()) != 0 {
					t.Errorf("closed at %v (want %v), waiting %v", r.ClosedAt, r.ExpiresAt, r.Waiting())
				}
				checkErr(t, r.Decide(mgr, desk.Approve, "", t0.Add(tt.at)), domain.ECONFLICT, "desk.state.expired")
			}
		})
	}
}

func TestWithdraw(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(*desk.Request)
		by      domain.UserID
		code    string
		key     string
	}{
		{"OK", func(*desk.Request) {}, rep, "", ""},
		{"OKAfterChanges", func(r *desk.Request) { _ = r.Decide(mgr, desk.Changes, "less", t0) }, rep, "", ""},
		{"ErrNotRequester", func(*desk.Request) {}, mgr, domain.EFORBIDDEN, "desk.withdraw_not_yours"},
		{"ErrApproved", func(r *desk.Request) { _ = r.Decide(mgr, desk.Approve, "", t0) }, rep, domain.ECONFLICT, "desk.state.approved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRequest(t, draft(1500))
			tt.prepare(r)
			err := r.Withdraw(tt.by, t0.Add(time.Hour))
			if tt.code != "" {
				checkErr(t, err, tt.code, tt.key)
				return
			}
			if err != nil || r.Status != desk.StatusWithdrawn || r.ClosedBy != rep {
				t.Fatalf("Withdraw: %v, status %s by %s", err, r.Status, r.ClosedBy)
			}
			checkErr(t, r.Decide(mgr, desk.Approve, "", t0.Add(2*time.Hour)), domain.ECONFLICT, "desk.state.withdrawn")
		})
	}
}

func TestCheckTurn(t *testing.T) {
	r := mustRequest(t, draft(5000))
	if err := r.Decide(mgr, desk.Approve, "", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name           string
		revision, step int
		key            string
	}{
		{"OK", 1, 1, ""},
		{"ErrStepDone", 1, 0, "desk.state.step_done"},
		{"ErrOtherRevision", 2, 1, "desk.state.moved"},
		{"ErrFutureStep", 1, 2, "desk.state.moved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.CheckTurn(tt.revision, tt.step)
			if tt.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			checkErr(t, err, domain.ECONFLICT, tt.key)
		})
	}
}

func TestPending(t *testing.T) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	newAt := func(id uint64, h int, d desk.Draft) *desk.Request {
		r, err := desk.NewRequest(testPolicy(), d, mgr, at(h))
		if err != nil {
			t.Fatal(err)
		}
		r.ID = id
		return r
	}
	young := newAt(1, 5, draft(1500))    // waits on mgr since hour 5
	old := newAt(2, 1, draft(1500))      // waits on mgr since hour 1
	approved := newAt(3, 0, draft(1500)) // decided: not listed
	vpStep := newAt(4, 0, draft(3000))   // waits on vp since mgr approved at hour 3
	own := draft(500, desk.TermPaymentTerms)
	own.Requester = fin // fin asked: fin must not see it, fin2 must
	self := newAt(5, 0, own)
	if err := approved.Decide(mgr, desk.Approve, "", at(2)); err != nil {
		t.Fatal(err)
	}
	if err := vpStep.Decide(mgr, desk.Approve, "", at(3)); err != nil {
		t.Fatal(err)
	}
	all := []*desk.Request{young, approved, nil, vpStep, old, self}
	ids := func(rs []*desk.Request) []uint64 {
		var out []uint64
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	tests := []struct {
		name string
		user domain.UserID
		want []uint64
	}{
		{"ManagerOldestFirst", mgr, []uint64{2, 1}},
		{"VPAfterManager", vp, []uint64{4}},
		{"RequesterHoldingRoleSeesNothing", fin, nil},
		{"OtherHolder", fin2, []uint64{5}},
		{"Rep", rep, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(desk.Pending(all, tt.user)); !slices.Equal(got, tt.want) {
				t.Fatalf("Pending(%s) = %v, want %v", tt.user, got, tt.want)
			}
		})
	}
}
