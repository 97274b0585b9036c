package store

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/coaching"
	"github.com/dealpilot/dealpilot/domain/desk"
)

// partsCache is what a caller of PipelineParts keeps: each part's
// generation and what it read of the part's deals then.
type partsCache map[uint64]struct {
	gen  uint64
	seen string
}

// dealSeen is what /pipeline and the segment and retention reports read
// of a deal that a write can change.
func dealSeen(di coaching.DealInput) string {
	d := di.Deal
	return fmt.Sprintf("%s v%d %s %s %s %d %+v %d %q %q %s %d %d;", d.ID.Ref(), d.Version, d.Owner, d.Stage, d.Status, d.Amount, di.Discount, len(di.History),
		d.Account, d.Attributes.Encoded(), d.Type, d.TermMonths, d.Recurring)
}

// read asks PipelineParts with what c knows, keeps what it is given, and
// returns everything c now holds for the parts given, in order, and
// which parts were read.
func (c partsCache) read(t *testing.T, db *DB, owners []domain.UserID) (string, []uint64) {
	t.Helper()
	var order, read []uint64
	err := db.PipelineParts(context.Background(), owners, func(p, gen uint64) bool {
		order = append(order, p)
		e, ok := c[p]
		return ok && e.gen == gen
	}, func(p, gen uint64, deals []coaching.DealInput) error {
		read = append(read, p)
		var b strings.Builder
		for _, di := range deals {
			if partOf(di.Deal.ID) != p {
				t.Fatalf("part %d gave %s", p, di.Deal.ID.Ref())
			}
			b.WriteString(dealSeen(di))
		}
		c[p] = struct {
			gen  uint64
			seen string
		}{gen, b.String()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, p := range order {
		all.WriteString(c[p].seen)
	}
	return all.String(), read
}

// TestPipelinePartsGiveOnlyWhatChanged: over three parts of deals, a
// caller that keeps what each part gave and asks again after each write
// holds exactly what every deal reads now (PipelineDeals), and is given
// again only the part of the deal written: every kind of write that
// changes a figure (a deal's fields, its owner, its account, attributes,
// type, term or recurring value, a discount asked, decided or withdrawn at
// the desk) gives its part a new generation, and no other
// part's changes. The same for owners' deals: a deal moving to another
// owner leaves one scope and enters the other.
func TestPipelinePartsGiveOnlyWhatChanged(t *testing.T) {
	clk := newClock(time.Minute)
	db := openTest(t, clk)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(3, 4))
	var items []Imported
	for n := range 2*PartDeals + 300 {
		items = append(items, Imported{Deal: digestDeal(r, n+1), By: "U2", History: digestPast(r)})
	}
	ids, err := db.ImportDeals(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	if p := partOf(ids[len(ids)-1]); p != 2 {
		t.Fatalf("the last deal is in part %d, want 2", p)
	}
	scopes := [][]domain.UserID{nil, {"U1", "U2", "U3"}, {"U4"}}
	caches := make([]partsCache, len(scopes))
	check := func(what string, wantRead []uint64) {
		t.Helper()
		for i, owners := range scopes {
			if caches[i] == nil {
				caches[i] = partsCache{}
			}
			got, read := caches[i].read(t, db, owners)
			deals, err := db.PipelineDeals(ctx, owners)
			if err != nil {
				t.Fatal(err)
			}
			var want strings.Builder
			for _, di := range deals {
				want.WriteString(dealSeen(di))
			}
			if got != want.String() {
				t.Fatalf("%s, owners %v: the parts kept differ from the deals now", what, owners)
			}
			if wantRead != nil && owners == nil && !slices.Equal(read, wantRead) {
				t.Fatalf("%s: parts read %v, want %v", what, read, wantRead)
			}
		}
	}
	check("first read", []uint64{0, 1, 2})
	check("nothing written", []uint64{})

	update := func(id domain.DealID, fn func(d *domain.Deal)) {
		t.Helper()
		if _, _, err := db.UpdateDeal(ctx, id, 0, "U1", func(d *domain.Deal) error { fn(d); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	// openDeal is deal id, reopened first when it is closed (the desk
	// asks discounts on open deals).
	openDeal := func(id domain.DealID) *domain.Deal {
		t.Helper()
		if cur := mustDeal(t, db, id); cur.Status == domain.Open {
			return cur
		}
		update(id, func(d *domain.Deal) { sumsSetStatus(d, domain.Open) })
		return mustDeal(t, db, id)
	}
	inPart := func(p uint64) domain.DealID { return ids[int(p)*PartDeals+r.IntN(200)] }
	for step := range 88 {
		p := uint64(r.IntN(3))
		id := inPart(p)
		var what string
		switch k := step % 11; k {
		case 0:
			what = "amount"
			update(id, func(d *domain.Deal) { d.Amount += 100 })
		case 1:
			what = "owner"
			update(id, func(d *domain.Deal) {
				others := slices.DeleteFunc(slices.Clone(sumsOwners), func(u domain.UserID) bool { return u == d.Owner })
				d.Owner = others[r.IntN(len(others))]
			})
		case 2:
			what = "stage and status"
			update(id, func(d *domain.Deal) {
				d.Stage = sumsStage(r)
				sumsSetStatus(d, sumsStatuses[r.IntN(len(sumsStatuses))])
				d.Amount++
			})
		case 3:
			what = "a discount asked"
			cur := openDeal(id)
			req, err := desk.NewRequest(deskPolicy(), desk.Draft{Deal: cur.ID, Requester: "U1", DiscountBP: 500 + r.IntN(3000),
				ListAmount: cur.Amount, Currency: cur.Currency, Justification: "Rival", DealVersion: cur.Version,
				Competitor: "Rival"}, "UMGR", clk.Peek())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateDeskRequest(ctx, req, ""); err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
				t.Fatal(err)
			}
		case 4:
			what = "a discount approved"
			cur := openDeal(id)
			if req := pendingRequest(t, db, id); req != nil {
				withdrawRequest(t, db, req) // one pending request a deal
			}
			approveDiscount(t, db, cur, 500+r.IntN(3000))
		case 5:
			what = "a pending discount withdrawn"
			if req := pendingRequest(t, db, id); req != nil {
				withdrawRequest(t, db, req)
			} else {
				update(id, func(d *domain.Deal) { d.NextStep = fmt.Sprint("Call ", step) })
			}
		case 6:
			what = "account"
			update(id, func(d *domain.Deal) { d.Account = fmt.Sprint("Account ", step) })
		case 7:
			what = "attributes"
			update(id, func(d *domain.Deal) { d.SetAttr("industry", fmt.Sprint("Industry ", step)) })
		case 8:
			what = "type"
			update(id, func(d *domain.Deal) {
				d.Type = map[domain.DealType]domain.DealType{domain.TypeRenewal: domain.TypeExpansion}[d.Type]
				if d.Type == "" {
					d.Type = domain.TypeRenewal
				}
			})
		case 9:
			what = "term"
			update(id, func(d *domain.Deal) { d.TermMonths = d.TermMonths%36 + 1 })
		case 10:
			what = "recurring value"
			update(id, func(d *domain.Deal) { d.Recurring += 100 })
		}
		check(fmt.Sprintf("step %d (%s in part %d)", step, what, p), []uint64{p})
	}
}

// pendingRequest is the deal's pending desk request, nil when none.
func pendingRequest(t *testing.T, db *DB, id domain.DealID) *desk.Request {
	t.Helper()
	open, err := db.DeskRequests(context.Background(), id, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range open {
		if p.Request.Status == desk.StatusPending {
			return p.Request
		}
	}
	return nil
}

// withdrawRequest withdraws req as its requester.
func withdrawRequest(t *testing.T, db *DB, req *desk.Request) {
	t.Helper()
	if _, _, err := db.UpdateDeskRequest(context.Background(), req.ID, 0, func(x *desk.Request) error {
		return x.Withdraw(req.Requester, t0.Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
}

// TestPipelinePartsPassOverKeysThatAreNotDeals: a key of pl_digests that is
// not a deal id (a damaged file; dealpilot check reports it), longer or
// shorter than one, is passed over as every reader of the bucket does:
// every deal is given once, and the walk ends, whether the parts are read
// or known.
func TestPipelinePartsPassOverKeysThatAreNotDeals(t *testing.T) {
	for _, junk := range [][]byte{append(idKey(5), 'a'), []byte("x"), append(idKey(PartDeals+3), 0, 0)} {
		t.Run(fmt.Sprintf("%x", junk), func(t *testing.T) {
			db := openTest(t, newClock(time.Minute))
			r := rand.New(rand.NewPCG(3, 4))
			var items []Imported
			for n := range 2*PartDeals + 10 {
				items = append(items, Imported{Deal: digestDeal(r, n+1), By: "U2", History: digestPast(r)})
			}
			if _, err := db.ImportDeals(context.Background(), items); err != nil {
				t.Fatal(err)
			}
			if err := db.bolt.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketDigests).Put(junk, []byte{1}) }); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			for _, known := range []bool{false, true} {
				got, laps := 0, 0
				err := db.PipelineParts(ctx, nil, func(p, _ uint64) bool {
					if laps++; laps > 10 {
						t.Fatalf("known=%v: part %d asked %d times: the walk does not end", known, p, laps)
					}
					return known
				}, func(_, _ uint64, deals []coaching.DealInput) error {
					got += len(deals)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if want := len(items); !known && got != want {
					t.Errorf("%d deals given, want %d", got, want)
				}
			}
		})
	}
}

// TestOnlyBumpingCodeWritesWhatPartsGive: what PipelineParts gives of a
// deal comes from pl_digests and the desk's requests (desk_requests,
// desk_by_deal). Every function of the store that writes one of those
// buckets (a Put or Delete in a function naming it) is one known to bump
// the deal's part in the same transaction (bumpPart: redigest through
// putDeal, putDeskRequest, and createDeskRequest, which writes the request
// with putDeskRequest), to run only in a transaction that writes the deal
// (digestEntries: addHistory, always with putDeal), or to bump every
// part (buildDigests: migrations 9, before pl_parts, and 19). A new writer fails
// here until it bumps.
func TestOnlyBumpingCodeWritesWhatPartsGive(t *testing.T) {
	known := map[string]bool{"redigest": true, "digestEntries": true, "buildDigests": true, "putDeskRequest": true, "createDeskRequest": true}
	var writers []string
	for _, w := range bucketWriters(t, "bucketDigests", "bucketDeskRequests", "bucketDeskByDeal") {
		writers = append(writers, w.name)
		if !known[w.name] {
			t.Errorf("%s writes pl_digests or the desk's requests: it must bump the deal's part (bumpPart) and be added here", w.name)
		}
	}
	if len(writers) == 0 {
		t.Fatal("no writer found: the scan is broken")
	}
	t.Logf("writers: %v", writers)
}

// bucketWriter is a function of the store that writes a bucket, and the
// identifiers its body names.
type bucketWriter struct {
	name, file string
	idents     map[string]bool
}

// bucketWriters are the functions of the store (its files but tests) that
// write one of buckets: a Put or Delete in a function naming it. A source
// scan, for the tests that a cache's writers keep it exact.
func bucketWriters(t *testing.T, buckets ...string) []bucketWriter {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var out []bucketWriter
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			w := bucketWriter{name: fn.Name.Name, file: f, idents: map[string]bool{}}
			writes := false
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.Ident:
					w.idents[x.Name] = true
				case *ast.SelectorExpr:
					writes = writes || x.Sel.Name == "Put" || x.Sel.Name == "Delete"
				}
				return true
			})
			if writes && slices.ContainsFunc(buckets, func(b string) bool { return w.idents[b] }) {
				out = append(out, w)
			}
		}
	}
	return out
}
