package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"
	goslack "github.com/slack-go/slack"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// The simulated actions. Kinds the running bot does not know are skipped
// with a note. update opens the modal, changes the amount and submits it;
// discount opens the request form for 15 %, submits it with a
// justification, and the rep's manager approves it with the request
// message's Approve button in the deal-desk channel.
var benchKinds = []string{"help", "list", "show", "next", "amount", "update", "discount"}

const defaultMix = "help=15,list=15,show=25,next=20,amount=10,update=10,discount=5"

type weighted struct {
	kind   string
	weight int
}

func parseMix(s string) ([]weighted, error) {
	var out []weighted
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		w, err := strconv.Atoi(v)
		if !ok || err != nil || w < 0 || w > 1000 {
			return nil, fmt.Errorf("-mix %q: want kind=weight, weight 0..1000", part)
		}
		if !slices.Contains(benchKinds, k) {
			return nil, fmt.Errorf("-mix: unknown kind %q (known: %s)", k, strings.Join(benchKinds, ", "))
		}
		if w > 0 {
			out = append(out, weighted{k, w})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("-mix: no kind with a weight above 0")
	}
	return out, nil
}

// supportedMix drops the kinds the bot cannot run and says so.
func supportedMix(mix []weighted, cmds map[string]*bot.Command, out io.Writer) []weighted {
	deal := cmds["/deal"]
	var keep []weighted
	for _, w := range mix {
		sub := w.kind
		if sub == "help" {
			keep = append(keep, w)
			continue
		}
		if deal == nil || deal.Subs[sub] == nil {
			fmt.Fprintf(out, "note: /deal %s is not in this build: %q skipped from the mix\n", sub, w.kind)
			continue
		}
		keep = append(keep, w)
	}
	return keep
}

// benchOp is one simulated user action.
type benchOp struct {
	kind string
	user int
	deal domain.DealID
	n    int
}

func (o benchOp) text() string {
	ref := o.deal.Ref()
	switch o.kind {
	case "help":
		return "help"
	case "list":
		return "list"
	case "show":
		return "show " + ref
	case "next":
		return fmt.Sprintf("next %s Call back #%d by fri", ref, o.n)
	case "amount":
		return fmt.Sprintf("amount %s %d", ref, 10_000+o.n%90_000)
	case "update":
		return "update " + ref
	case "discount":
		return "discount " + ref + " 15"
	}
	return "help"
}

// driver plays the load against one server and records what it sent.
type driver struct {
	srv   *slacktest.Server
	f     benchFlags
	mix   []weighted
	total int
	deals int
	rng   *rand.Rand
	modal bool // the peer opens modals (the bot; not the floor)

	mu          sync.Mutex
	kinds       map[string]string // invocation id -> kind
	updates     []*pendingUpdate
	measured    time.Time // invocations from here on are counted
	ended       time.Time
	settle      time.Duration // how long answers may take after the load (settleWait)
	issued      int
	errs        []error
	notes       []string
	busy        map[int]bool // users with a modal under way
	busyDeal    map[domain.DealID]bool
	deskLastTS  string                    // the last deal-desk message scanned
	deskNext    time.Time                 // when deskStep reads the channel next
	roots       map[int]deskRoot          // bench request number -> its message
	byTS        map[string]*pendingUpdate // discount requests by message ts
	pendingDesk []*pendingUpdate          // discount requests submitted, not yet clicked
	deskWaiting int                       // discount requests submitted, neither decided nor failed

	// tally is what the window measured of the records already handed over
	// by the local Slack (Forget, in long runs); collect adds the rest.
	tally tally
}

// deskRoot is a discount request's message in the deal-desk channel.
type deskRoot struct {
	ts string
	at time.Time
}

// tally accumulates the measures of a phase's window as records come in.
type tally struct {
	commands, acked, failed, redelivered, rejected, writes int
	all                                                    latencies
	byKind                                                 map[string]latencies
	bySecond                                               []latencies
	opens, confirms, posted, approvals                     latencies
}

// pendingUpdate is a modal under way: an update (amount changed) or a
// discount request (justification filled in, then approved in the deal-desk
// channel by the rep's manager).
type pendingUpdate struct {
	kind      string // "update" or "discount"
	cmd       *slacktest.Invocation
	sub       *slacktest.Invocation
	user      int
	deal      domain.DealID
	n         int
	submitted time.Time
	// acking: submitted, its ack not seen yet; the user stays busy until
	// then, as on Slack, where the modal waits for the app's answer and
	// the user can type no other command meanwhile.
	acking bool

	// discount only
	rootTS    string    // the request's message in the deal-desk channel
	postedAt  time.Time // when it was posted
	clicked   time.Time // when the manager pressed Approve
	decided   bool      // the decision's thread reply is posted
	decidedAt time.Time // when
	failed    bool      // the request or the approval was refused
}

// discountNote marks a bench request's justification, so the driver finds
// its message in the deal-desk channel.
const discountNote = "Bench discount #"

var discountRe = regexp.MustCompile(regexp.QuoteMeta(discountNote) + `(\d+)`)

func newDriver(srv *slacktest.Server, f benchFlags, mix []weighted, modal bool) *driver {
	d := &driver{srv: srv, f: f, mix: mix, deals: f.deals, modal: modal, rng: rand.New(rand.NewPCG(f.seed, 99)),
		kinds: map[string]string{}, busy: map[int]bool{}, busyDeal: map[domain.DealID]bool{}, roots: map[int]deskRoot{}, byTS: map[string]*pendingUpdate{},
		settle: settleWait,
		tally:  tally{byKind: map[string]latencies{}, bySecond: make([]latencies, int(f.duration/time.Second)+1)}}
	for _, w := range mix {
		d.total += w.weight
	}
	return d
}

func (d *driver) next(n int) benchOp {
	x := d.rng.IntN(d.total)
	kind := d.mix[len(d.mix)-1].kind
	for _, w := range d.mix {
		if x < w.weight {
			kind = w.kind
			break
		}
		x -= w.weight
	}
	user := d.rng.IntN(d.f.users)
	// A deal of the user: deal i belongs to rep i % users.
	per := max(1, d.deals/d.f.users)
	deal := domain.DealID(1 + user + d.f.users*d.rng.IntN(per))
	if int(deal) > d.deals {
		deal = domain.DealID(1 + user%max(1, d.deals))
	}
	return benchOp{kind: kind, user: user, deal: deal, n: n}
}

// send issues one op.
func (d *driver) send(op benchOp) {
	if (op.kind == "update" || op.kind == "discount") && d.modal {
		d.mu.Lock()
		if d.busy[op.user] || op.kind == "discount" && d.busyDeal[op.deal] {
			op.kind = "show" // one modal at a time per user, one request at a time per deal
		} else {
			d.busy[op.user] = true
			if op.kind == "discount" {
				d.busyDeal[op.deal] = true
			}
		}
		d.mu.Unlock()
	}
	inv, err := d.srv.SlashCommand(string(benchRep(op.user)), benchChannel, "/deal", op.text())
	d.mu.Lock()
	defer d.mu.Unlock()
	d.issued++
	if err != nil {
		d.errs = append(d.errs, err)
		return
	}
	d.kinds[inv.ID] = op.kind
	if (op.kind == "update" || op.kind == "discount") && d.modal {
		d.updates = append(d.updates, &pendingUpdate{kind: op.kind, cmd: inv, user: op.user, deal: op.deal, n: op.n})
	}
}

// submitLoop fills in and submits update modals as they open.
func (d *driver) submitLoop(ctx context.Context, done <-chan struct{}) {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-t.C:
		}
		d.mu.Lock()
		var due, acking []*pendingUpdate
		for _, u := range d.updates {
			switch {
			case u.sub == nil:
				due = append(due, u)
			case u.acking:
				acking = append(acking, u)
			}
		}
		d.mu.Unlock()
		d.release(acking)
		for _, u := range due {
			v, ok := d.srv.TopModal(string(benchRep(u.user)))
			if !ok || v.TriggerID != u.cmd.TriggerID {
				continue
			}
			values := slacktest.Values{"amount": strconv.Itoa(20_000 + u.n%80_000)}
			if u.kind == "discount" {
				values = slacktest.Values{"justification": discountNote + strconv.Itoa(u.n)}
			}
			at := time.Now()
			sub, err := d.srv.SubmitView(string(benchRep(u.user)), v.ID, values)
			d.mu.Lock()
			u.sub, u.submitted = sub, at
			switch {
			case err != nil:
				d.errs = append(d.errs, err)
				u.sub, u.failed = &slacktest.Invocation{}, true
				delete(d.busyDeal, u.deal)
			case u.kind == "discount":
				d.deskWaiting++
				d.pendingDesk = append(d.pendingDesk, u)
			}
			if err != nil {
				delete(d.busy, u.user)
			} else {
				u.acking = true // busy until the ack (release)
			}
			d.mu.Unlock()
		}
		d.deskStep()
	}
}

// release frees the users whose submission the app has answered (acked,
// or failed): until then a real user faces the modal waiting for the
// answer and types nothing else. Freed earlier, the driver could open the
// user's next modal over the submitted one, and the app's answer to it (a
// refusal in the form, say) would land on a view no longer shown: Slack
// rejects it, and the driver, seeing neither the refusal nor the result,
// took it for a lost request. Called without d.mu: Envelope takes the
// local Slack's lock, which updatesSettled holds while taking d.mu.
func (d *driver) release(acking []*pendingUpdate) {
	var answered []*pendingUpdate
	for _, u := range acking {
		// An envelope the local Slack already forgot (long runs) is long answered.
		if e := u.sub.Envelope(); e.ID == "" || e.Ack != nil || e.Failed {
			answered = append(answered, u)
		}
	}
	if len(answered) == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, u := range answered {
		u.acking = false
		delete(d.busy, u.user)
	}
}

// deskStep finds the bench's discount requests in the deal-desk channel
// and has the rep's manager approve each once its thread is recorded (the
// root message edited); a request is decided when the bot's thread reply
// is posted. Each step reads only the messages posted since the last one,
// and the roots of the requests still waiting for their click, at most
// every 5 ms (the latencies measured start at the click, not before).
func (d *driver) deskStep() {
	d.mu.Lock()
	waiting := d.deskWaiting
	since := d.deskLastTS
	early := time.Now().Before(d.deskNext)
	d.mu.Unlock()
	if waiting == 0 || early {
		return
	}
	msgs := d.srv.MessagesAfter(deskChannel, since)
	var click []*pendingUpdate
	d.mu.Lock()
	d.deskNext = time.Now().Add(5 * time.Millisecond)
	for _, m := range msgs {
		d.deskLastTS = m.TS
		switch {
		case m.User != slacktest.BotUserID || m.Ephemeral():
		case m.ThreadTS == "":
			if sm := discountRe.FindStringSubmatch(m.Render()); sm != nil {
				n, _ := strconv.Atoi(sm[1])
				d.roots[n] = deskRoot{ts: m.TS, at: m.At}
			}
		default: // a thread reply: the decision, when it follows the click
			if u := d.byTS[m.ThreadTS]; u != nil && !u.decided && !u.clicked.IsZero() && !m.At.Before(u.clicked) {
				u.decided, u.decidedAt = true, m.At
				d.deskWaiting--
				delete(d.busyDeal, u.deal)
				delete(d.byTS, m.ThreadTS)
			}
		}
	}
	keep := make([]*pendingUpdate, 0, len(d.pendingDesk)) // requests not clicked yet stay pending
	var check []*pendingUpdate
	for _, u := range d.pendingDesk {
		if u.rootTS == "" {
			r, ok := d.roots[u.n]
			if !ok {
				keep = append(keep, u)
				continue
			}
			delete(d.roots, u.n)
			u.rootTS, u.postedAt = r.ts, r.at
			d.byTS[u.rootTS] = u
		}
		check = append(check, u)
	}
	d.mu.Unlock()
	for _, u := range check {
		if m, ok := d.srv.MessageAt(deskChannel, u.rootTS); ok && m.Edited {
			click = append(click, u)
		} else {
			keep = append(keep, u)
		}
	}
	d.mu.Lock()
	d.pendingDesk = keep
	d.mu.Unlock()
	for _, u := range click {
		at := time.Now()
		_, err := d.srv.BlockAction(string(benchManager(u.user/10)), slacktest.InMessage(deskChannel, u.rootTS),
			slacktest.Action{ActionID: bot.ActionDeskApprove})
		d.mu.Lock()
		u.clicked = at
		if err != nil {
			d.errs = append(d.errs, err)
			u.failed = true
			d.deskWaiting--
			delete(d.busyDeal, u.deal)
			delete(d.byTS, u.rootTS)
		}
		d.mu.Unlock()
	}
}

// run drives the load: warm-up, then the measured duration, at -rate or in a
// closed loop of -users commands in flight; then waits (bounded) for the
// answers.
func (d *driver) run(ctx context.Context) error {
	done := make(chan struct{})
	var wg sync.WaitGroup
	if d.modal {
		wg.Add(1)
		go func() { defer wg.Done(); d.submitLoop(ctx, done) }()
	}
	start := time.Now()
	d.mu.Lock()
	d.measured = start.Add(d.f.warmup)
	d.ended = d.measured.Add(d.f.duration)
	end := d.ended
	d.mu.Unlock()
	if d.f.duration >= longRun {
		wg.Add(1)
		go func() { defer wg.Done(); d.forgetLoop(done) }()
	}
	n := 0
	if d.f.rate > 0 {
		interval := time.Duration(float64(time.Second) / d.f.rate)
		for {
			now := time.Now()
			if !now.Before(end) || ctx.Err() != nil {
				break
			}
			due := int(now.Sub(start)/interval) + 1
			for ; n < due; n++ {
				d.send(d.next(n))
			}
			time.Sleep(min(interval, time.Millisecond))
		}
	} else {
		for time.Now().Before(end) && ctx.Err() == nil {
			c := d.srv.Counters()
			if inFlight := c.Envelopes - c.Acks - c.FailedEnvelopes; inFlight >= d.f.users {
				target := c.Acks + c.FailedEnvelopes
				wctx, cancel := context.WithDeadline(ctx, end)
				_ = d.srv.WaitFor(wctx, func(st *slacktest.State) bool {
					return st.Counters.Acks+st.Counters.FailedEnvelopes > target
				})
				cancel()
				continue
			}
			d.send(d.next(n))
			n++
		}
	}
	// Answers still on their way: bounded wait.
	wctx, cancel := context.WithTimeout(ctx, d.settle)
	defer cancel()
	if d.modal {
		if err := d.waitSettled(wctx); err != nil {
			st := d.srv.State()
			d.mu.Lock()
			n := map[string]int{}
			for _, u := range d.updates {
				if why := d.unsettled(u, st); why != "" {
					n[u.kind+" "+why]++
				}
			}
			// A request or a change lost: the local Slack has no rate
			// limits here (WithoutRateLimits), so nothing queues an
			// answer for seconds, let alone for d.settle.
			d.errs = append(d.errs, fmt.Errorf("modals still under way %v after the load, counted as they stand: %v", d.settle, n))
			d.mu.Unlock()
		}
	}
	err := d.srv.WaitFor(wctx, func(st *slacktest.State) bool {
		return st.Counters.Acks+st.Counters.FailedEnvelopes >= st.Counters.Envelopes
	})
	close(done)
	wg.Wait()
	if err != nil {
		return fmt.Errorf("answers still missing %v after the load: %w", d.settle, err)
	}
	return nil
}

// settleWait bounds the wait for answers after the load: every modal and
// request of the mix settles in well under a second, and the local Slack
// queues nothing (no rate limits in the bench).
const settleWait = 20 * time.Second

// harnessNote says when the bench process itself collected garbage during
// a phase: each collection marks the local Slack's records and stalls the
// clock the acks are timed by, in that phase only, so its tail is partly
// the bench's.
func harnessNote(w io.Writer, h spent) {
	if h.GCs > 0 {
		fmt.Fprintf(w, "  note: the bench process collected garbage %d times during this phase; its pauses are in the latencies above\n", h.GCs)
	}
}

// longRun is the shortest run whose records the local Slack forgets as it
// goes (keepRecords behind): below it, every record stays to the end, as
// short runs always did.
const (
	longRun     = time.Minute
	keepRecords = 30 * time.Second
)

// forgetLoop has the local Slack hand over and forget, every 5 seconds,
// the records older than keepRecords (ten times Slack's ack timeout;
// every modal and request of the mix settles in well under a second), so
// the bench process holds a window of records however long it runs.
func (d *driver) forgetLoop(done <-chan struct{}) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			f := d.srv.Forget(now.Add(-keepRecords))
			d.harvest(f.Envelopes, f.Responses, false)
		}
	}
}

// waitSettled waits until every modal under way is settled. The driver
// settles discount requests itself (deskStep), which the local Slack does
// not see: its condition is asked again every 10 ms, not only when the
// local Slack's records change.
func (d *driver) waitSettled(ctx context.Context) error {
	for {
		pctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		err := d.srv.WaitFor(pctx, func(st *slacktest.State) bool { return d.updatesSettled(st) })
		cancel()
		if err == nil || ctx.Err() != nil {
			return err
		}
	}
}

// updatesSettled reports whether every update modal that opened was
// submitted and confirmed (called with the server lock held: no Server calls).
func (d *driver) updatesSettled(st *slacktest.State) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, u := range d.updates {
		if d.unsettled(u, st) != "" {
			return false
		}
	}
	return true
}

// unsettled says where a modal under way stands, "" once it is settled
// (called with d.mu and the server lock held).
func (d *driver) unsettled(u *pendingUpdate, st *slacktest.State) string {
	opened := false
	for _, r := range st.Responses[u.cmd.ID] {
		if r.Kind == slacktest.ResponseViewOpened {
			opened = true
		}
	}
	switch {
	case !opened && len(st.Responses[u.cmd.ID]) > 0:
		return "" // answered otherwise (an error)
	case !opened:
		return "not opened"
	case u.sub == nil:
		return "not submitted"
	case refused(st.Responses[u.sub.ID]):
		return "" // the form answered with field errors (a conflict, a rule): the user would fix and resubmit
	case u.kind == "discount" && !u.failed && !u.decided:
		switch {
		case u.rootTS == "":
			return "request not seen"
		case u.clicked.IsZero():
			return "not approved"
		}
		return "approved, no decision seen"
	case u.kind != "discount" && u.sub.ID != "" && !confirmed(st.Responses[u.cmd.ID], u.submitted):
		return "no confirmation"
	}
	return ""
}

// refused reports whether a submission's ack showed errors in the form.
func refused(rs []slacktest.Response) bool {
	for _, r := range rs {
		if r.ResponseAction == "errors" {
			return true
		}
	}
	return false
}

func confirmed(rs []slacktest.Response, after time.Time) bool {
	for _, r := range rs {
		if r.Kind == slacktest.ResponseURL && !r.At.Before(after) {
			return true
		}
	}
	return false
}

// phaseResult is what one phase measured.
type phaseResult struct {
	name        string
	window      time.Duration
	commands    int // slash commands sent in the measured window
	acked       int
	failed      int
	redelivered int
	rejected    int
	ack         summary
	// ack p99 of each second of the window, by the second the command was
	// sent in (0 for a second in which none was sent)
	ackP99BySecond []time.Duration
	ackByKind      map[string]summary
	viewOpen       summary
	// discount requests: submission → request posted in the deal-desk
	// channel; manager's Approve → the decision's thread reply
	requestPosted summary
	approval      summary
	confirm       summary
	writes        int   // durable changes confirmed in the window
	spent               // of the app's process when ownProcess, else of the whole bench
	ownProcess    bool  // the app ran in a child process: allocations and RSS are its own
	foreign       bool  // the app is not Go (a peer): its peak RSS and CPU time only
	harness       spent // of the bench process (local Slack and driver) when ownProcess
	errs          []error
	notes         []string
}

// harvest adds to the tally the slash commands of envs created in the
// window, with their responses, and the modals under way they started;
// what it counted leaves the driver's maps. The local Slack hands records
// over once: as Forget drops them in long runs, or all at the end.
// With final, the updates left are counted as they stand.
func (d *driver) harvest(envs []slacktest.Envelope, responses map[string][]slacktest.Response, final bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := &d.tally
	in := map[string]bool{} // invocations of envs in the window
	gone := map[string]bool{}
	for _, e := range envs {
		if e.InvocationID != "" {
			gone[e.InvocationID] = true
		}
		if e.Type != "slash_commands" || e.Created.Before(d.measured) || !e.Created.Before(d.ended) {
			continue
		}
		in[e.InvocationID] = true
		t.commands++
		if len(e.Deliveries) > 1 {
			t.redelivered++
		}
		switch {
		case e.Ack != nil:
			t.acked++
			t.all = append(t.all, e.Ack.Latency)
			if sec := int(e.Created.Sub(d.measured) / time.Second); sec < len(t.bySecond) {
				t.bySecond[sec] = append(t.bySecond[sec], e.Ack.Latency)
			}
			k := d.kinds[e.InvocationID]
			t.byKind[k] = append(t.byKind[k], e.Ack.Latency)
			if e.Ack.Rejected != "" {
				t.rejected++
			}
		case e.Failed:
			t.failed++
		}
		if k := d.kinds[e.InvocationID]; k == "next" || k == "amount" {
			for _, r := range responses[e.InvocationID] {
				if r.Kind == slacktest.ResponseAck && strings.Contains(r.Text, "Updated") {
					t.writes++
					break
				}
			}
		}
	}
	for id := range gone {
		delete(d.kinds, id)
	}
	keep := d.updates[:0]
	for _, u := range d.updates {
		if !final && !gone[u.cmd.ID] {
			keep = append(keep, u)
			continue
		}
		if !in[u.cmd.ID] {
			continue
		}
		rs := responses[u.cmd.ID]
		for _, r := range rs {
			if r.Kind == slacktest.ResponseViewOpened {
				t.opens = append(t.opens, r.At.Sub(u.cmd.At))
				break
			}
		}
		if u.kind == "discount" {
			if u.sub != nil && !u.postedAt.IsZero() {
				t.posted = append(t.posted, u.postedAt.Sub(u.submitted))
			}
			if u.decided {
				t.approvals = append(t.approvals, u.decidedAt.Sub(u.clicked))
				t.writes++
			}
			continue
		}
		if u.sub != nil && u.sub.ID != "" {
			for _, r := range rs {
				if r.Kind == slacktest.ResponseURL && !r.At.Before(u.submitted) {
					t.confirms = append(t.confirms, r.At.Sub(u.submitted))
					if strings.Contains(r.Text, "Updated") {
						t.writes++
					}
					break
				}
			}
		}
	}
	clear(d.updates[len(keep):])
	d.updates = keep
}

// collect counts what the local Slack still holds and sums up the window.
func (d *driver) collect(name string, st *slacktest.State) phaseResult {
	d.harvest(st.Envelopes, st.Responses, true)
	d.mu.Lock()
	defer d.mu.Unlock()
	t := &d.tally
	res := phaseResult{name: name, window: d.f.duration, ackByKind: map[string]summary{}, errs: d.errs, notes: d.notes,
		commands: t.commands, acked: t.acked, failed: t.failed, redelivered: t.redelivered, rejected: t.rejected, writes: t.writes}
	res.ack = summarize(t.all)
	bySecond := t.bySecond
	for len(bySecond) > 0 && len(bySecond[len(bySecond)-1]) == 0 {
		bySecond = bySecond[:len(bySecond)-1] // the window's unused end
	}
	for _, l := range bySecond {
		res.ackP99BySecond = append(res.ackP99BySecond, summarize(l).p99)
	}
	for k, l := range t.byKind {
		res.ackByKind[k] = summarize(l)
	}
	res.viewOpen = summarize(t.opens)
	res.confirm = summarize(t.confirms)
	res.requestPosted = summarize(t.posted)
	res.approval = summarize(t.approvals)
	return res
}

const (
	floorName = "floor (bare slack-go socketmode, ack at once)"
	botName   = "dealpilot (store + bot + Slack transport)"
)

// benchLoad runs the floor, the peer (-peer) and then the bot under the
// same load.
func benchLoad(ctx context.Context, f benchFlags, mix []weighted, cmdline string, stdout, stderr io.Writer) error {
	cfg, err := benchConfig(f.users)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "dealpilot-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	probe := bot.New(bot.Options{Config: cfg})
	mix = supportedMix(mix, probe.Commands(), stdout)
	if len(mix) == 0 {
		return errors.New("nothing left in the mix")
	}
	rate := "as fast as it goes, " + strconv.Itoa(f.users) + " in flight"
	if f.rate > 0 {
		rate = fmt.Sprintf("%.0f commands/s", f.rate)
	}
	fmt.Fprintf(stdout, "dealbench: %s for %s (after %s warm-up), %d users, %d deals, mix %s\n",
		rate, f.duration, f.warmup, f.users, f.deals, mixString(mix))
	fmt.Fprintf(stdout, "machine: %s\ncommand: %s\n\n", machineLine(), cmdline)

	var floor *phaseResult
	if f.floor {
		var r phaseResult
		var err error
		if f.sameProcess {
			r, err = runFloorPhase(ctx, f, mix)
		} else {
			r, err = runChildPhase(ctx, f, mix, "floor", floorName, "", stderr)
		}
		if err != nil {
			return fmt.Errorf("floor: %w", err)
		}
		floor = &r
	}
	var peer *phaseResult
	if plan, skip, err := choosePeer(f.peer, f.peerDir, exec.LookPath); err != nil {
		return err
	} else if skip != "" {
		fmt.Fprintf(stdout, "%s\n\n", skip)
	} else if plan != nil {
		appDir, err := installPeer(ctx, plan, peerCacheRoot())
		if err != nil {
			fmt.Fprintf(stdout, "peer bolt-js skipped: %v\n\n", err)
		} else {
			r, err := runNodePeerPhase(ctx, f, mix, plan, appDir, stderr)
			if err != nil {
				return fmt.Errorf("peer bolt-js: %w", err)
			}
			peer = &r
		}
	}
	var r phaseResult
	if f.sameProcess {
		r, err = runBotPhase(ctx, f, mix, cfg, filepath.Join(dir, "dealpilot.db"), stderr)
	} else {
		r, err = runChildPhase(ctx, f, mix, "bot", botName, filepath.Join(dir, "dealpilot.db"), stderr)
	}
	if err != nil {
		return fmt.Errorf("dealpilot: %w", err)
	}
	report(stdout, f, r, floor, peer)
	if f.samples != "" && r.Series != nil {
		out, err := os.Create(f.samples)
		if err != nil {
			return err
		}
		if err := writeSamples(out, r.Series); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "the bot's process each second: %s\n", f.samples)
	}
	return nil
}

func mixString(mix []weighted) string {
	var parts []string
	for _, w := range mix {
		parts = append(parts, fmt.Sprintf("%s=%d", w.kind, w.weight))
	}
	return strings.Join(parts, ",")
}

// spent is what a process spent between two points of a load run.
type spent struct {
	Mallocs    uint64        `json:"mallocs"`
	AllocBytes uint64        `json:"alloc_bytes"`
	GCs        uint32        `json:"gcs"`
	PeakRSS    int64         `json:"peak_rss"`
	CPU        time.Duration `json:"cpu_ns"` // user + system time
	// Series is the process sampled each second (the app's, when it is
	// sampled: the bot's phase and the floor's).
	Series *series `json:"series,omitempty"`
}

// beginUsage collects garbage, restarts the peak RSS and returns the
// function that reads what this process spent since.
func beginUsage() func() spent {
	runtime.GC()
	resetPeakRSS()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := cpuTime()
	return func() spent {
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		return spent{Mallocs: after.Mallocs - before.Mallocs, AllocBytes: after.TotalAlloc - before.TotalAlloc,
			GCs: after.NumGC - before.NumGC, PeakRSS: procStatus("self", "VmHWM"), CPU: cpuTime() - cpu}
	}
}

// measure runs fn and records what the process spent meanwhile.
func measure(res *phaseResult, fn func() error) error {
	end := beginUsage()
	err := fn()
	res.spent = end()
	return err
}

// newBenchApp wires the bot and its Slack transport as serve does, with
// its log at info level into io.Discard and scheduled jobs off.
func newBenchApp(db *store.DB, cfg *config.Config, appToken, botToken, apiURL string, dialer *websocket.Dialer) (*slackapp.App, error) {
	b := bot.New(bot.Options{Store: db, Config: cfg})
	log := zerolog.New(io.Discard).Level(zerolog.InfoLevel).With().Timestamp().Logger()
	return slackapp.New(slackapp.Options{AppToken: appToken, BotToken: botToken, APIURL: apiURL, Bot: b, Log: log, TickEvery: -1, Dialer: dialer})
}

// benchDialer opens the measured clients' Socket Mode connections with
// size-byte socket buffers (-socket-buffer; 0 or less: slack-go's own
// dialer), the same for the floor and the bot. Its other settings are
// slack-go's defaults.
func benchDialer(size int) *websocket.Dialer {
	if size <= 0 {
		return nil
	}
	return &websocket.Dialer{
		HandshakeTimeout: 45 * time.Second,
		WriteBufferSize:  32 * 1024,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetReadBuffer(size)
				_ = tc.SetWriteBuffer(size)
			}
			return c, err
		},
	}
}

// runFloorPhase drives the load against a bare slack-go socketmode client
// that acks every envelope at once: what the stack costs with no work.
func runFloorPhase(ctx context.Context, f benchFlags, mix []weighted) (phaseResult, error) {
	srv, err := slacktest.New(slacktest.WithoutRateLimits(), slacktest.WithSocketBuffers(f.socketBuffer)) // thousands of commands/s: far past what Slack takes
	if err != nil {
		return phaseResult{}, err
	}
	defer srv.Close()
	addBenchPeople(srv, f.users)
	api := goslack.New(srv.BotToken(), goslack.OptionAppLevelToken(srv.AppToken()), goslack.OptionAPIURL(srv.APIURL()))
	cctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	runFloorClient(cctx, &wg, api, benchDialer(f.socketBuffer))
	defer func() { cancel(); wg.Wait() }()
	if err := waitConnected(ctx, srv, 1); err != nil {
		return phaseResult{}, err
	}
	drv := newDriver(srv, f, mix, false)
	var res phaseResult
	err = measure(&res, func() error { return drv.run(ctx) })
	r := drv.collect(floorName, srv.State())
	r.spent = res.spent
	return r, err
}

// waitConnected waits for the client's n Socket Mode connections (the bare
// client holds one, the bot two).
func waitConnected(ctx context.Context, srv *slacktest.Server, n int) error {
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := srv.WaitConnected(wctx, n); err != nil {
		return fmt.Errorf("the client did not connect: %w", err)
	}
	return nil
}

// runBotPhase drives the load against the real bot: store, bot, Slack
// transport, as `serve` wires them, with its log at info level (discarded).
func runBotPhase(ctx context.Context, f benchFlags, mix []weighted, cfg *config.Config, path string, stderr io.Writer) (phaseResult, error) {
	srv, err := slacktest.New(slacktest.WithoutRateLimits(), slacktest.WithSocketBuffers(f.socketBuffer)) // thousands of commands/s: far past what Slack takes
	if err != nil {
		return phaseResult{}, err
	}
	defer srv.Close()
	addBenchPeople(srv, f.users)
	db, err := store.Open(path, store.Options{})
	if err != nil {
		return phaseResult{}, err
	}
	defer db.Close()
	if err := fillBenchStore(ctx, db, f.users, f.deals, 0, time.Now(), nil); err != nil {
		return phaseResult{}, err
	}
	app, err := newBenchApp(db, cfg, srv.AppToken(), srv.BotToken(), srv.APIURL(), benchDialer(f.socketBuffer))
	if err != nil {
		return phaseResult{}, err
	}
	actx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.Run(actx) }()
	defer func() { cancel(); <-done }()
	if err := waitConnected(ctx, srv, 2); err != nil {
		return phaseResult{}, err
	}
	stop, err := startCPUProfile(f.cpuProfile)
	if err != nil {
		return phaseResult{}, err
	}
	drv := newDriver(srv, f, mix, true)
	var res phaseResult
	stopSampler := startSampler()
	err = measure(&res, func() error { return drv.run(ctx) })
	series := stopSampler()
	stop()
	if perr := writeAllocProfile(f.memProfile); perr != nil && err == nil {
		err = perr
	}
	r := drv.collect(botName, srv.State())
	r.spent = res.spent
	r.Series = series
	return r, err
}

// ref is a phase the others' latencies are printed as ratios to.
type ref struct {
	label string // "floor", "Bolt"; "" when it is the only one
	s     summary
}

// ratios prints d as a multiple of each reference's value q of the same
// quantile: "(1.11×)" with one unlabelled reference, "(1.11× floor, 0.21×
// Bolt)" with labelled ones, "(—)" with none.
func ratios(d time.Duration, refs []ref, q func(summary) time.Duration) string {
	if len(refs) == 0 {
		return "(—)"
	}
	var parts []string
	for _, r := range refs {
		x := ratio(d, q(r.s))
		if r.label != "" {
			x += " " + r.label
		}
		parts = append(parts, x)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// report prints the phases side by side and the targets: the floor, the
// peer (nil without -peer) and the bot, each latency of the peer as a
// ratio to the floor's, each of the bot to the floor's and the peer's.
func report(w io.Writer, f benchFlags, r phaseResult, floor, peer *phaseResult) {
	sec := r.window.Seconds()
	line := func(name string, s summary, refs []ref) {
		if s.n == 0 {
			return
		}
		p50 := func(s summary) time.Duration { return s.p50 }
		p99 := func(s summary) time.Duration { return s.p99 }
		pmax := func(s summary) time.Duration { return s.max }
		fmt.Fprintf(w, "  %-28s n=%-7d p50 %-9s %s  p99 %-9s %s  max %-9s %s\n", name, s.n,
			ms(s.p50), ratios(s.p50, refs, p50), ms(s.p99), ratios(s.p99, refs, p99), ms(s.max), ratios(s.max, refs, pmax))
	}
	for _, p := range []*phaseResult{floor, peer, &r} {
		if p == nil {
			continue
		}
		fmt.Fprintf(w, "%s\n", p.name)
		fmt.Fprintf(w, "  sent %d slash commands in %s (%.0f/s), acked %d, failed %d, redelivered %d, acks Slack would reject %d\n",
			p.commands, p.window, float64(p.commands)/sec, p.acked, p.failed, p.redelivered, p.rejected)
		// Ratios to the floor's and the peer's ack latency (of all commands).
		var fl []ref
		if p != floor && floor != nil {
			fl = append(fl, ref{"floor", floor.ack})
		}
		if p == &r && peer != nil {
			fl = append(fl, ref{"Bolt", peer.ack})
		}
		if peer == nil && len(fl) == 1 {
			fl[0].label = "" // the floor alone: "(1.11×)", as before peers
		}
		line("ack latency (all commands)", p.ack, fl)
		kinds := make([]string, 0, len(p.ackByKind))
		for k := range p.ackByKind {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			line("  ack of "+k, p.ackByKind[k], fl)
		}
		if len(p.ackP99BySecond) > 1 {
			// A bad run is often one bad stretch (the machine is shared):
			// say where, rather than leave it to the run's p99.
			var sent latencies // the seconds in which commands were sent
			worst, over := 0, 0
			for i, d := range p.ackP99BySecond {
				if d > p.ackP99BySecond[worst] {
					worst = i
				}
				if d > 2*p.ack.p99 {
					over++
				}
				if d > 0 {
					sent = append(sent, d)
				}
			}
			sorted := sent.sorted()
			fmt.Fprintf(w, "  ack p99 of each second: median %s, best %s, worst %s (second %d of %d); %d seconds over twice the run's p99\n",
				ms(sorted.quantile(0.5)), ms(sorted[0]), ms(p.ackP99BySecond[worst]), worst+1, len(p.ackP99BySecond), over)
		}
		line("command → views.open", p.viewOpen, fl)
		line("submission → confirmation", p.confirm, fl)
		line("discount sent → posted", p.requestPosted, fl)
		line("Approve → decision posted", p.approval, fl)
		if p.writes > 0 {
			fmt.Fprintf(w, "  durable changes confirmed: %d (%.0f/s)\n", p.writes, float64(p.writes)/sec)
		}
		n := max(1, uint64(p.commands))
		if p.foreign {
			fmt.Fprintf(w, "  the app's own process: CPU time %s (%.0f µs per command), peak RSS %s\n",
				p.CPU.Round(time.Millisecond), float64(p.CPU.Microseconds())/float64(n), mib(p.PeakRSS))
			fmt.Fprintf(w, "  the local Slack and the driver: CPU time %s, allocated %s, %d GCs, peak RSS %s\n",
				p.harness.CPU.Round(time.Millisecond), mib(int64(p.harness.AllocBytes)), p.harness.GCs, mib(p.harness.PeakRSS))
			harnessNote(w, p.harness)
			printErrs(w, p.errs)
			fmt.Fprintln(w)
			continue
		}
		whose := "whole process, local Slack included"
		if p.ownProcess {
			whose = "the app's own process"
		}
		fmt.Fprintf(w, "  allocations (%s): %d (%d per command), %s (%s per command), %d GCs; peak RSS %s\n",
			whose, p.Mallocs, p.Mallocs/n, mib(int64(p.AllocBytes)), fmt.Sprintf("%.1f KiB", float64(p.AllocBytes)/float64(n)/1024), p.GCs, mib(p.PeakRSS))
		seriesReport(w, p.Series, float64(p.commands)/sec)
		if p.ownProcess {
			fmt.Fprintf(w, "  CPU time: the app %s (%.0f µs per command), the local Slack and the driver %s (%.0f µs per command)\n",
				p.CPU.Round(time.Millisecond), float64(p.CPU.Microseconds())/float64(n), p.harness.CPU.Round(time.Millisecond), float64(p.harness.CPU.Microseconds())/float64(n))
			// The bench process holds its collector back while it measures
			// (quietCollector); a collection there pauses the acks' clock.
			fmt.Fprintf(w, "  the local Slack and the driver: allocated %s, %d GCs, peak RSS %s\n",
				mib(int64(p.harness.AllocBytes)), p.harness.GCs, mib(p.harness.PeakRSS))
			harnessNote(w, p.harness)
		}
		printErrs(w, p.errs)
		for _, n := range p.notes {
			fmt.Fprintf(w, "  note: %s\n", n)
		}
		fmt.Fprintln(w)
	}
	if floor != nil {
		mallocs := int64(r.Mallocs/max(1, uint64(r.commands))) - int64(floor.Mallocs/max(1, uint64(floor.commands)))
		fmt.Fprintf(w, "the bot's own cost (dealpilot minus floor): %d allocations per command\n", mallocs)
	}
	fmt.Fprintln(w, "targets:")
	if floor != nil && floor.ack.p99 > 0 && r.ack.p99 > 0 {
		x := float64(r.ack.p99) / float64(floor.ack.p99)
		fmt.Fprintf(w, "  ack p99 ≤ 1.5× floor at %.0f commands/s: %s vs %s = %.2f× → %s\n", f.rate, ms(r.ack.p99), ms(floor.ack.p99), x, met(x <= 1.5))
	}
	if peer != nil && peer.ack.p99 > 0 && r.ack.p99 > 0 {
		fmt.Fprintf(w, "  beside Bolt for JavaScript (no target): ack p99 %s vs Bolt's %s = %.2f×", ms(r.ack.p99), ms(peer.ack.p99), float64(r.ack.p99)/float64(peer.ack.p99))
		if floor != nil && floor.ack.p99 > 0 {
			fmt.Fprintf(w, "; Bolt is %.2f× the floor", float64(peer.ack.p99)/float64(floor.ack.p99))
		}
		fmt.Fprintln(w)
	}
	if r.viewOpen.n > 0 {
		fmt.Fprintf(w, "  command → views.open p99 ≤ 20 ms (target taken at 200 commands/s; this run %.0f/s): %s → %s\n",
			f.rate, ms(r.viewOpen.p99), met(r.viewOpen.p99 <= 20*time.Millisecond))
	}
	if r.writes > 0 && f.rate == 0 {
		fmt.Fprintf(w, "  ≥ 2,000 durable updates/s from %d users: %.0f/s → %s\n", f.users, float64(r.writes)/sec, met(float64(r.writes)/sec >= 2000))
	}
	if r.failed > 0 || r.acked < r.commands {
		fmt.Fprintf(w, "  WARNING: %d of %d commands were not acknowledged\n", r.commands-r.acked, r.commands)
	}
}

// printErrs prints the first five driver errors of a phase.
func printErrs(w io.Writer, errs []error) {
	for i, e := range errs {
		if i == 5 {
			fmt.Fprintf(w, "  … %d more errors\n", len(errs)-5)
			break
		}
		fmt.Fprintf(w, "  driver error: %v\n", e)
	}
}
