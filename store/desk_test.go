package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

func deskPolicy() desk.Policy {
	return desk.Policy{
		Bands: []desk.Band{
			{UpTo: 10},
			{UpTo: 35, Approvals: []desk.Role{desk.RoleManager, "vp"}},
			{UpTo: 100, Approvals: []desk.Role{desk.RoleManager, "vp", "finance"}},
		},
		Roles:            map[desk.Role][]domain.UserID{"vp": {"UVP", "UVP2"}, "finance": {"UFIN"}},
		RequirePlanAbove: 100,
		ExpireAfterDays:  14,
	}
}

func newRequest(t *testing.T, deal domain.DealID, bp int) *desk.Request {
	t.Helper()
	r, err := desk.NewRequest(deskPolicy(), desk.Draft{
		Deal: deal, Requester: "U1", DiscountBP: bp, ListAmount: 4_800_000, Currency: "EUR",
		Justification: "Rival", Competitor: "Rival Inc", Terms: []desk.Term{desk.TermOther}, OtherTerms: "Quarterly invoicing",
		DealVersion: 1, // the deal as created
	}, "UMGR", t0)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDeskRequestRoundTrip(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	in := newRequest(t, d.ID, 2500)
	if err := in.Decide("UMGR", desk.Approve, "fine", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	r, err := db.CreateDeskRequest(ctx, in, "view:1")
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != 1 || r.Version != 1 || in.ID != 0 {
		t.Fatalf("id %d version %d (input id %d)", r.ID, r.Version, in.ID)
	}
	again, err := db.CreateDeskRequest(ctx, in, "view:1")
	if err != nil || again.ID != 1 {
		t.Fatalf("a retried create made %v, %v", again, err)
	}
	th := desk.Thread{Channel: "C0DESK", Ref: "1700000000.000100"}
	if err := db.SetDeskThread(ctx, r.ID, th); err != nil {
		t.Fatal(err)
	}
	got, gotTh, err := db.DeskRequestByThread(ctx, th.Channel, th.Ref)
	if err != nil {
		t.Fatal(err)
	}
	want := *r
	if !reflect.DeepEqual(got, &want) || gotTh != th {
		t.Errorf("read back\n%+v %+v\nwant\n%+v %+v", got, gotTh, &want, th)
	}
	if _, _, err := db.DeskRequestByThread(ctx, th.Channel, "1.2"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("unknown thread: %v", err)
	}
	list, err := db.DeskRequests(ctx, d.ID, true)
	if err != nil || len(list) != 1 {
		t.Fatalf("open requests of the deal = %v, %v", list, err)
	}
}

func TestUpdateDeskRequestVersionAndApproval(t *testing.T) {
	db := openTest(t, newClock(time.Second))
	ctx := context.Background()
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	r, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2500), "")
	if err != nil {
		t.Fatal(err)
	}
	approve := func(by domain.UserID) func(*desk.Request) error {
		return func(x *desk.Request) error { return x.Decide(by, desk.Approve, "", t0.Add(time.Hour)) }
	}
	if _, _, err := db.UpdateDeskRequest(ctx, r.ID, r.Version+1, approve("UMGR")); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("a stale version was accepted: %v", err)
	}
	r2, _, err := db.UpdateDeskRequest(ctx, r.ID, r.Version, approve("UMGR"))
	if err != nil || r2.Version != 2 || r2.Current != 1 {
		t.Fatalf("approve: %+v %v", r2, err)
	}
	if mustDeal(t, db, d.ID).Discount != 0 {
		t.Fatal("a discount approved by one of two steps is on the deal")
	}
	// A refusal saves nothing.
	if _, _, err := db.UpdateDeskRequest(ctx, r.ID, 0, approve("UFIN")); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("wrong approver: %v", err)
	}
	// Two vps approve at once: exactly one decision is recorded.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, u := range []domain.UserID{"UVP", "UVP2"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = db.UpdateDeskRequest(ctx, r.ID, 0, approve(u))
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("errors = %v, want exactly one approval", errs)
	}
	for _, err := range errs {
		if err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("the second approver got %v, want ECONFLICT", err)
		}
	}
	final, _, err := db.DeskRequest(ctx, r.ID)
	if err != nil || final.Status != desk.StatusApproved || len(final.Decisions) != 2 || final.Version != 3 {
		t.Fatalf("final = %+v, %v", final, err)
	}
	deal := mustDeal(t, db, d.ID)
	if deal.Discount != 2500 || deal.NetAmount() != deal.Amount-domain.DiscountCost(deal.Amount, 2500) {
		t.Errorf("deal discount %d net %d", deal.Discount, deal.NetAmount())
	}
	h := mustHistory(t, db, d.ID)
	last := h[len(h)-1]
	if last.Field != domain.FieldDiscount || last.New != "2500" || last.By != final.ClosedBy {
		t.Errorf("history = %+v", last)
	}
	info, err := db.DiscountInfo(ctx, []domain.DealID{d.ID})
	if err != nil || info[d.ID].ApprovedBP != 2500 || info[d.ID].RequestedBP != 0 {
		t.Errorf("discount info = %+v, %v", info, err)
	}
}

func TestAutoApprovedRequestSetsDiscount(t *testing.T) {
	db := openTest(t, newClock(0))
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	r, err := desk.NewRequest(deskPolicy(), desk.Draft{Deal: d.ID, Requester: "U1", DiscountBP: 800, ListAmount: d.Amount, Currency: "EUR", Justification: "x", DealVersion: d.Version}, "UMGR", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateDeskRequest(context.Background(), r, ""); err != nil {
		t.Fatal(err)
	}
	if got := mustDeal(t, db, d.ID); got.Discount != 800 {
		t.Errorf("discount = %d", got.Discount)
	}
}

func TestPlanRoundTripAndLimits(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	p := desk.Plan{Milestones: []desk.Milestone{
		{What: "Security review", Side: desk.Customer, Due: domain.NewDate(2026, 3, 1), Done: true},
		{What: "Order form", Side: desk.Ours, Due: domain.NewDate(2026, 3, 15)},
	}}
	if err := db.SavePlan(ctx, d.ID, p, "U1"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Plan(ctx, d.ID)
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("plan = %+v, %v", got, err)
	}
	big := desk.Plan{Milestones: make([]desk.Milestone, 1000)}
	err = db.SavePlan(ctx, d.ID, big, "U1")
	var es domain.Errors
	if !errors.As(err, &es) || len(es) != 1 || !strings.Contains(i18n.Message(i18n.EN, es[0]), "1,000") {
		t.Fatalf("1,000 milestones: %v", err)
	}
	if got, _ := db.Plan(ctx, d.ID); len(got.Milestones) != 2 {
		t.Error("a refused plan changed the stored one")
	}
	if _, err := db.Plan(ctx, 99); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("plan of a missing deal: %v", err)
	}
}

func TestDealRecordWithoutDiscount(t *testing.T) {
	d, err := decodeDeal(3, []byte(`{"v":1,"name":"Old","account":"A","owner":"U1","amount":100,"currency":"EUR","stage":"S","category":"pipeline","status":"open","version":1,"created_at":"2026-01-01T00:00:00Z","created_by":"U1","updated_at":"2026-01-01T00:00:00Z","updated_by":"U1"}`))
	if err != nil || d.Discount != 0 || d.NetAmount() != 100 {
		t.Fatalf("old record: %+v, %v", d, err)
	}
}

func TestOnePendingRequestPerDeal(t *testing.T) {
	ctx := context.Background()
	pending := func(t *testing.T, err error) {
		t.Helper()
		var e *domain.Error
		if !errors.As(err, &e) || e.Code != domain.ECONFLICT || e.Key != DeskPendingKey {
			t.Fatalf("err = %v, want ECONFLICT %s", err, DeskPendingKey)
		}
	}
	t.Run("TwoAtOnceMakeOne", func(t *testing.T) {
		db := openTest(t, newClock(0))
		d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2500), "")
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("errors = %v, want exactly one request", errs)
		}
		for _, err := range errs {
			if err != nil {
				pending(t, err)
			}
		}
		if list, _ := db.DeskRequests(ctx, d.ID, false); len(list) != 1 {
			t.Errorf("%d requests saved", len(list))
		}
	})
	t.Run("OtherDealsAndClosedRequestsDoNotCount", func(t *testing.T) {
		db := openTest(t, newClock(0))
		d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
		d2 := mustCreate(t, db, newDeal("Beta", "Beta", "U1", "2026-03-31", ""), "U1")
		r1, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2500), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateDeskRequest(ctx, newRequest(t, d2.ID, 2500), ""); err != nil {
			t.Fatalf("another deal's request: %v", err)
		}
		if _, _, err := db.UpdateDeskRequest(ctx, r1.ID, 0, func(x *desk.Request) error {
			return x.Decide("UMGR", desk.Reject, "no", t0.Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2000), ""); err != nil {
			t.Fatalf("a request after a rejected one: %v", err)
		}
	})
	t.Run("ReplacesOnlyAnUnpostedOneItIsToldOf", func(t *testing.T) {
		db := openTest(t, newClock(0))
		d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
		r1, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2500), "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2000), "")
		pending(t, err)
		if err := db.SetDeskThread(ctx, r1.ID, desk.Thread{Channel: "C0DESK", Ref: "1.2"}); err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2000), "", r1.ID)
		pending(t, err) // posted meanwhile: an approver may be looking at it
		if err := db.SetDeskThread(ctx, r1.ID, desk.Thread{}); err != nil {
			t.Fatal(err)
		}
		r2, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2000), "", r1.ID)
		if err != nil {
			t.Fatal(err)
		}
		old, _, _ := db.DeskRequest(ctx, r1.ID)
		if old.Status != desk.StatusWithdrawn || old.ClosedBy != "U1" || old.Version != r1.Version+1 || r2.Status != desk.StatusPending {
			t.Errorf("replaced %+v, new %+v", old, r2)
		}
	})
	t.Run("ARevisionWaitsForThePendingOne", func(t *testing.T) {
		db := openTest(t, newClock(0))
		d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
		r1, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2500), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.UpdateDeskRequest(ctx, r1.ID, 0, func(x *desk.Request) error {
			return x.Decide("UMGR", desk.Changes, "2 years", t0.Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 1500), ""); err != nil {
			t.Fatal(err)
		}
		revise := func(x *desk.Request) error {
			return x.Revise("U1", desk.Draft{DiscountBP: 2000, ListAmount: 4_800_000, Currency: "EUR", Justification: "2 years"}, deskPolicy(), "UMGR", t0.Add(2*time.Hour))
		}
		_, _, err = db.UpdateDeskRequest(ctx, r1.ID, 0, revise)
		pending(t, err)
		if got, _, _ := db.DeskRequest(ctx, r1.ID); got.Status != desk.StatusChangesRequested {
			t.Errorf("the refused revision was saved: %s", got.Status)
		}
	})
	t.Run("NeverMovedToAnotherDeal", func(t *testing.T) {
		db := openTest(t, newClock(0))
		d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
		r1, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2500), "")
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := db.UpdateDeskRequest(ctx, r1.ID, 0, func(x *desk.Request) error { x.Deal = 999; return nil })
		if err != nil || got.Deal != d.ID {
			t.Errorf("deal = %d, %v; want %d", got.Deal, err, d.ID)
		}
	})
}

// A request record that no longer decodes cannot be decided: it never
// blocks a new request on its deal.
func TestOnePendingSkipsAnUndecodableRequest(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dealpilot.db")
	db, err := Open(path, Options{Clock: newClock(0)})
	if err != nil {
		t.Fatal(err)
	}
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	r1, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2500), "")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	garble(t, path, map[string]map[string][]byte{"desk_requests": {string(u64(r1.ID)): []byte(`{"v":1,"deal":`)}})
	var reported []string
	db, err = Open(path, Options{Clock: newClock(0), BadRecord: func(bucket, key string, _ error) { reported = append(reported, bucket+"/"+key) }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.CreateDeskRequest(ctx, newRequest(t, d.ID, 2000), ""); err != nil {
		t.Fatalf("a garbled request blocks the deal: %v", err)
	}
	if want := []string{"desk_requests/" + strconv.FormatUint(r1.ID, 10)}; !slices.Equal(reported, want) {
		t.Errorf("reported %v, want %v", reported, want)
	}
}

// TestDiscountInfoCompetitor: the coaching rules learn the competitor the
// deal's latest request naming one names (losses by competitor fall back on
// it when the loss names none).
func TestDiscountInfoCompetitor(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	other := mustCreate(t, db, newDeal("Beta", "Beta", "U1", "2026-03-31", ""), "U1")
	for _, c := range []string{"Rival Inc", "Acme Corp", ""} {
		cur := mustDeal(t, db, d.ID)
		r, err := desk.NewRequest(deskPolicy(), desk.Draft{Deal: d.ID, Requester: "U1", DiscountBP: 800, ListAmount: cur.Amount, Currency: "EUR",
			Justification: "x", Competitor: c, DealVersion: cur.Version}, "UMGR", t0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateDeskRequest(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
	}
	info, err := db.DiscountInfo(ctx, []domain.DealID{d.ID, other.ID})
	if err != nil {
		t.Fatal(err)
	}
	if info[d.ID].Competitor != "Acme Corp" || info[other.ID].Competitor != "" {
		t.Errorf("competitors = %q, %q; want the latest naming one, and none", info[d.ID].Competitor, info[other.ID].Competitor)
	}
}

// TestDiscountInfoNonStandardTerms: the hollow-win scorecard's "non-standard
// terms" is what the latest approved request carried; a pending or a
// rejected request with terms says nothing of what the deal was sold on.
func TestDiscountInfoNonStandardTerms(t *testing.T) {
	db := openTest(t, newClock(0))
	ctx := context.Background()
	pol := deskPolicy()
	pol.NonStandard = map[desk.Term][]desk.Role{desk.TermCustomSLA: nil} // auto-approved below 10 %
	terms := func(t *testing.T, id domain.DealID) bool {
		t.Helper()
		info, err := db.DiscountInfo(ctx, []domain.DealID{id})
		if err != nil {
			t.Fatal(err)
		}
		return info[id].NonStandardTerms
	}
	request := func(t *testing.T, d *domain.Deal, bp int, ts ...desk.Term) *desk.Request {
		t.Helper()
		d = mustDeal(t, db, d.ID)
		r, err := desk.NewRequest(pol, desk.Draft{Deal: d.ID, Requester: "U1", DiscountBP: bp, ListAmount: d.Amount, Currency: "EUR",
			Justification: "x", Terms: ts, DealVersion: d.Version}, "UMGR", t0)
		if err != nil {
			t.Fatal(err)
		}
		saved, err := db.CreateDeskRequest(ctx, r, "")
		if err != nil {
			t.Fatal(err)
		}
		return saved
	}
	d := mustCreate(t, db, newDeal("Acme", "Acme", "U1", "2026-03-31", ""), "U1")
	if terms(t, d.ID) {
		t.Fatal("a deal without requests has non-standard terms")
	}
	request(t, d, 500, desk.TermCustomSLA)
	if !terms(t, d.ID) {
		t.Fatal("an approved request with a custom SLA does not count")
	}
	request(t, d, 800)
	if terms(t, d.ID) {
		t.Error("a later approved request without terms still counts the earlier one's")
	}
	e := mustCreate(t, db, newDeal("Beta", "Beta", "U1", "2026-03-31", ""), "U1")
	r := request(t, e, 2000, desk.TermCustomSLA)
	if r.Status != desk.StatusPending {
		t.Fatalf("status %s, want pending", r.Status)
	}
	if terms(t, e.ID) {
		t.Error("a pending request's terms count")
	}
	// Rejected: still nothing the deal was sold on.
	if _, _, err := db.UpdateDeskRequest(ctx, r.ID, r.Version, func(x *desk.Request) error {
		return x.Decide("UMGR", desk.Reject, "no", t0.Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	if terms(t, e.ID) {
		t.Error("a rejected request's terms count")
	}
}
