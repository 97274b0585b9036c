package main

// dealbench scale: how each command's and job's cost grows with the deals
// in the file (issue 17, point 2).

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/bot/sample/large"
	slackapp "github.com/dealpilot/dealpilot/bot/slack"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

const scaleUsage = `usage: dealbench scale [flags]

For each size, the file of that many deals (history ten times that; package
bot/sample/large) is built in -dir unless it is there already, copied to a
scratch file (the commands and jobs write), and the bot is started on it
against a local Slack, as serve wires it. Each command is then sent -calls
times in turn, one at a time, by the user whose answer costs most, and each
job run -job-runs times at successive due times. Printed, as a Markdown
table: ack p50/p99 (the local Slack's clock, from delivery to ack), the
answer's p99 where it comes after the ack (views.open, views.publish, a
job's run), bytes and objects allocated per call (runtime.MemStats deltas of
the whole bench process, local Slack included), the peak RSS while the
command ran (VmHWM, reset before each), and the growth exponent of the p50
and of the bytes allocated since the previous size, log(t2/t1)/log(n2/n1).

Example:
  dealbench scale -sizes 1000,10000,100000 -dir $HOME/.cache/dealpilot-scale

Flags:
`

type scaleFlags struct {
	sizes   []int
	dir     string
	calls   int
	jobRuns int
	only    []string // row names' prefixes; none: every row
}

// benchScale is `dealbench scale`.
func benchScale(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, scaleUsage); fs.PrintDefaults() }
	var f scaleFlags
	sizes := fs.String("sizes", "1000,10000,100000", "deals in each file, ascending, comma-separated (each 100..1000000)")
	fs.StringVar(&f.dir, "dir", filepath.Join(os.TempDir(), "dealpilot-scale"), "where the files are built once and kept (deals-N.db)")
	fs.IntVar(&f.calls, "calls", 50, "calls of each command at each size (1..10000)")
	fs.IntVar(&f.jobRuns, "job-runs", 3, "runs of each job at each size (1..100)")
	only := fs.String("only", "", "measure only the rows whose names start with one of these, comma-separated (e.g. /pipeline)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	for _, o := range strings.Split(*only, ",") {
		if o = strings.TrimSpace(o); o != "" {
			f.only = append(f.only, o)
		}
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dealbench scale: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	prev := 0
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 100 || n > 1_000_000 || n <= prev {
			fmt.Fprintf(stderr, "dealbench scale: -sizes %q: want ascending deal counts, each 100..1000000\n", *sizes)
			return exitUsage
		}
		f.sizes, prev = append(f.sizes, n), n
	}
	if f.calls < 1 || f.calls > 10_000 || f.jobRuns < 1 || f.jobRuns > 100 {
		fmt.Fprintln(stderr, "dealbench scale: -calls 1..10000, -job-runs 1..100")
		return exitUsage
	}
	cmdline := "dealbench scale " + strings.Join(args, " ")
	if err := runScale(ctx, f, cmdline, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "dealbench scale:", err)
		return exitFailed
	}
	return exitOK
}

// scaleRow is one command or job at one size.
type scaleRow struct {
	name        string
	interactive bool
	deals       int
	ack         summary // zero for jobs
	answer      summary // when the answer comes after the ack (or a job's run)
	bytes       float64 // allocated per call
	objects     float64
	peakRSS     int64
	startRSS    int64  // RSS when the row began (the bbolt map's pages stay resident from the rows before)
	said        string // the text of the row's last answer
	redelivered int    // calls not acked within Slack's 3 s
}

// cost is the row's latency the exponent and the targets read: the ack,
// or the answer when it comes later.
func (r scaleRow) p50() time.Duration { return max(r.ack.p50, r.answer.p50) }
func (r scaleRow) p99() time.Duration { return max(r.ack.p99, r.answer.p99) }

func runScale(ctx context.Context, f scaleFlags, cmdline string, stdout, progress io.Writer) error {
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dealbench scale: %d reps in teams of ten, history %d entries a deal; %d calls a command, %d runs a job\n",
		large.Reps, large.HistoryPerDeal, f.calls, f.jobRuns)
	fmt.Fprintf(stdout, "machine: %s\ncommand: %s\n", machineLine(), cmdline)
	var rows [][]scaleRow
	for _, n := range f.sizes {
		path := filepath.Join(f.dir, fmt.Sprintf("deals-%d.db", n))
		start := time.Now()
		built, err := large.Cached(path, n)
		if err != nil {
			return fmt.Errorf("building %s: %w", path, err)
		}
		if built {
			fmt.Fprintf(stdout, "built %s (%d deals) in %s\n", path, n, time.Since(start).Round(time.Millisecond))
		}
		r, err := scaleSize(ctx, f, path, n, stdout, progress)
		if err != nil {
			return fmt.Errorf("%d deals: %w", n, err)
		}
		rows = append(rows, r)
	}
	printScale(stdout, f, rows)
	return nil
}

// copyFile copies src to dst (the scratch file a run writes to).
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// scaleSize measures every command and job on a scratch copy of path: the
// commands write (next) and the jobs record what they posted, and the
// cached file stays as built.
func scaleSize(ctx context.Context, f scaleFlags, path string, n int, stdout, progress io.Writer) ([]scaleRow, error) {
	scratch, err := os.MkdirTemp(f.dir, "run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	work := filepath.Join(scratch, "dealpilot.db")
	start := time.Now()
	if err := copyFile(work, path); err != nil {
		return nil, err
	}
	copied := time.Since(start)

	srv, err := slacktest.New(slacktest.WithoutRateLimits())
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	addBenchPeople(srv, large.Reps)
	cfg, err := config.Parse("bench config", []byte(scaleConfigYAML()), slackapp.IDs())
	if err != nil {
		return nil, err
	}
	clock := domain.NewManualClock(large.Now)
	start = time.Now()
	db, err := store.Open(work, store.Options{Clock: clock})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	opened := time.Since(start)
	b := bot.New(bot.Options{Store: db, Config: cfg, Clock: clock})
	app, err := slackapp.New(slackapp.Options{AppToken: srv.AppToken(), BotToken: srv.BotToken(), APIURL: srv.APIURL(), Bot: b,
		Log: zerolog.New(io.Discard), TickEvery: -1})
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.Run(actx) }()
	defer func() { cancel(); <-done }()
	if err := waitConnected(ctx, srv, 2); err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "%d deals: copied in %s, opened in %s\n", n, copied.Round(time.Millisecond), opened.Round(time.Millisecond))

	// The rep whose deals are shown and changed: the owner of the first
	// open deal (deal i+1 belongs to rep i % Reps); show, next and update
	// take that rep's open deals.
	first := domain.DealID(0)
	for id := domain.DealID(1); int(id) <= n && first == 0; id++ {
		d, err := db.Deal(ctx, id)
		if err != nil {
			return nil, err
		}
		if d.Status == domain.Open {
			first = id
		}
	}
	if first == 0 {
		return nil, errors.New("no open deal in the file")
	}
	rep := large.Rep(int(first-1) % large.Reps)
	var open []domain.DealID
	for id := first; int(id) <= n && len(open) < f.calls; id += large.Reps {
		d, err := db.Deal(ctx, id)
		if err != nil {
			return nil, err
		}
		if d.Status == domain.Open {
			open = append(open, id)
		}
	}
	deal := func(i int) string { return open[i%len(open)].Ref() }
	s := &scaler{srv: srv, calls: f.calls, deals: n, progress: progress, only: f.only}
	slash := func(name string, user domain.UserID, command string, text func(i int) string) {
		s.row(ctx, name, true, func(i int) (time.Duration, time.Duration, error) {
			inv, err := srv.SlashCommand(string(user), benchChannel, command, text(i))
			if err != nil {
				return 0, 0, err
			}
			return s.acked(ctx, inv)
		})
	}
	same := func(t string) func(int) string { return func(int) string { return t } }
	slash("help", rep, "/deal", same("help"))
	slash("list", rep, "/deal", same("list"))
	slash("show", rep, "/deal", func(i int) string { return "show " + deal(i) })
	slash("next", rep, "/deal", func(i int) string { return fmt.Sprintf("next %s Call back #%d by fri", deal(i), i) })
	s.row(ctx, "update modal", true, func(i int) (time.Duration, time.Duration, error) {
		inv, err := srv.SlashCommand(string(rep), benchChannel, "/deal", "update "+deal(i))
		if err != nil {
			return 0, 0, err
		}
		ack, _, err := s.acked(ctx, inv)
		if err != nil {
			return 0, 0, err
		}
		return ack, s.viewOpened(ctx, inv), s.err
	})
	for _, p := range []struct {
		name string
		user domain.UserID
	}{{"picker keystroke (rep)", rep}, {"picker keystroke (admin)", large.Admin}} {
		// The picker: /deal update without a deal.
		inv, err := srv.SlashCommand(string(p.user), benchChannel, "/deal", "update")
		if err != nil {
			return nil, err
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		v, err := inv.WaitView(wctx)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("the picker did not open: %w", err)
		}
		queries := []string{"acme re", "globex pil", "société gén", "initech", "zürich hold", "stark sys", "wayne exp", "hooli"}
		s.row(ctx, p.name, true, func(i int) (time.Duration, time.Duration, error) {
			wctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			// BlockSuggestion returns with the ack: its latency is
			// timed around the call (the local Slack's encoding and the
			// options' decoding included).
			t := time.Now()
			if _, err := srv.BlockSuggestion(wctx, string(p.user), v.ID, string(bot.PickField), queries[i%len(queries)]); err != nil {
				return 0, 0, err
			}
			return time.Since(t), 0, nil
		})
		if _, err := srv.CloseView(string(p.user), v.ID); err != nil {
			return nil, err
		}
	}
	slash("/forecast (company)", large.Admin, "/forecast", same(""))
	slash("/forecast (team)", large.Manager(0), "/forecast", same(""))
	slash("/pipeline (company)", large.Admin, "/pipeline", same(""))
	slash("/pipeline (team)", large.Manager(0), "/pipeline", same(""))
	// /pipeline keeps each part's counts (1,024 deal ids) and counts again
	// the parts written since its last call: the rows above, with nothing
	// written between calls, merge what is kept. Here 10 deals picked at
	// random over the file are written before each call (a team at work,
	// no tick of the warm-up job between), and cold is a call whose scope
	// nothing is kept of: a window of another length each call (60 days,
	// 61, …), what the first call after a restart costs for a scope the
	// warm-up job has not counted yet (at most four typed windows are
	// kept, so the row holds no more).
	r := rand.New(rand.NewPCG(uint64(n), 17))
	writes := 0
	write10 := func(int) error {
		for range 10 {
			writes++
			id := domain.DealID(1 + r.IntN(n))
			if _, _, err := db.UpdateDeal(ctx, id, 0, large.Admin, func(d *domain.Deal) error {
				d.NextStep = fmt.Sprintf("Call back %d", writes)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	}
	// /pipeline segments and retention keep their parts the same way,
	// and the figures counted from them until a deal or an account is
	// written: with nothing written between calls, and after 10 writes.
	for _, c := range []struct{ name, text string }{{"segments", "segments"}, {"retention", "retention"}} {
		slash(fmt.Sprintf("/pipeline %s (company)", c.name), large.Admin, "/pipeline", same(c.text))
		s.rowAfter(ctx, fmt.Sprintf("/pipeline %s (company) after 10 writes", c.name), true, write10, func(i int) (time.Duration, time.Duration, error) {
			inv, err := srv.SlashCommand(string(large.Admin), benchChannel, "/pipeline", c.text)
			if err != nil {
				return 0, 0, err
			}
			return s.acked(ctx, inv)
		})
	}
	for _, p := range []struct {
		name string
		user domain.UserID
	}{{"company", large.Admin}, {"team", large.Manager(0)}} {
		for _, w := range []struct {
			name string
			prep func(int) error
			text func(i int) string
		}{{"after 10 writes", write10, same("")}, {"cold", nil, func(i int) string { return fmt.Sprintf("%dd", 60+i%3000) }}} {
			s.rowAfter(ctx, fmt.Sprintf("/pipeline (%s) %s", p.name, w.name), true, w.prep, func(i int) (time.Duration, time.Duration, error) {
				inv, err := srv.SlashCommand(string(p.user), benchChannel, "/pipeline", w.text(i))
				if err != nil {
					return 0, 0, err
				}
				return s.acked(ctx, inv)
			})
		}
	}
	homes := 0
	s.row(ctx, "App Home", true, func(i int) (time.Duration, time.Duration, error) {
		inv, err := srv.AppHomeOpened(string(rep))
		if err != nil {
			return 0, 0, err
		}
		ack, _, err := s.acked(ctx, inv)
		if err != nil {
			return 0, 0, err
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		c, err := srv.WaitCall(wctx, "views.publish", homes)
		if err != nil {
			return 0, 0, fmt.Errorf("App Home not published: %w", err)
		}
		homes++
		return ack, c.At.Sub(inv.Envelope().Created), nil
	})

	// The jobs, at successive due times: the digest on the Mondays after
	// the file's present, 08:05 in Paris; the reminders on the working
	// days after it, 09:05.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, err
	}
	job := func(name string) (bot.Job, error) {
		for _, j := range b.Jobs() {
			if j.Name == name {
				return j, nil
			}
		}
		return bot.Job{}, fmt.Errorf("no job %q", name)
	}
	day := time.Date(large.Now.Year(), large.Now.Month(), large.Now.Day(), 0, 0, 0, 0, paris)
	var mondays, workdays []time.Time
	for d := day.AddDate(0, 0, 1); len(mondays) < f.jobRuns || len(workdays) < f.jobRuns; d = d.AddDate(0, 0, 1) {
		switch d.Weekday() {
		case time.Saturday, time.Sunday:
			continue
		case time.Monday:
			mondays = append(mondays, d.Add(8*time.Hour+5*time.Minute))
		}
		workdays = append(workdays, d.Add(9*time.Hour+5*time.Minute))
	}
	for _, j := range []struct {
		name, job string
		at        []time.Time
		posts     string // the method whose calls show it did its work
	}{{"digest job (all teams)", bot.JobDigest, mondays, "chat.postMessage"}, {"reminder job", bot.JobReminders, workdays, "chat.postMessage"}} {
		jb, err := job(j.job)
		if err != nil {
			return nil, err
		}
		before := len(srv.Calls(j.posts))
		saved := s.calls
		s.calls = f.jobRuns
		s.row(ctx, j.name, false, func(i int) (time.Duration, time.Duration, error) {
			t := time.Now()
			err := jb.Run(ctx, app, j.at[i])
			return 0, time.Since(t), err
		})
		s.calls = saved
		if s.err == nil && len(s.rows) > 0 && s.rows[len(s.rows)-1].name == j.name && len(srv.Calls(j.posts)) == before {
			return nil, fmt.Errorf("%s posted nothing", j.name)
		}
	}
	if s.err != nil {
		return nil, s.err
	}
	return s.rows, nil
}

// scaler measures rows of one size.
type scaler struct {
	srv   *slacktest.Server
	calls int
	deals int
	rows  []scaleRow
	err   error
	said  string // the last ack's text (acked)
	// redelivered counts the row's envelopes Slack delivered again (no
	// ack within 3 s)
	redelivered int
	// progress gets a line as each row is done (long runs)
	progress io.Writer
	only     []string // -only
}

// row calls call s.calls times (after one call not counted: the user's
// time zone and name are learnt on their first command) and records its
// latencies, allocations and peak RSS.
func (s *scaler) row(ctx context.Context, name string, interactive bool, call func(i int) (ack, answer time.Duration, err error)) {
	s.rowAfter(ctx, name, interactive, nil, call)
}

// rowAfter is row with prep(i) run before call i (and before the call not
// counted): neither its time nor its allocations are the row's.
func (s *scaler) rowAfter(ctx context.Context, name string, interactive bool, prep func(i int) error, call func(i int) (ack, answer time.Duration, err error)) {
	if s.err != nil || len(s.only) > 0 && !slices.ContainsFunc(s.only, func(o string) bool { return strings.HasPrefix(name, o) }) {
		return
	}
	began := time.Now()
	defer func() {
		if s.err == nil {
			fmt.Fprintf(s.progress, "  %d deals: %s measured in %s\n", s.deals, name, time.Since(began).Round(time.Millisecond))
		}
	}()
	if interactive {
		if prep != nil {
			if err := prep(s.calls); err != nil {
				s.err = fmt.Errorf("%s: %w", name, err)
				return
			}
		}
		if _, _, err := call(s.calls); err != nil {
			s.err = fmt.Errorf("%s: %w", name, err)
			return
		}
	}
	debug.FreeOSMemory()
	resetPeakRSS()
	startRSS := procStatus("self", "VmRSS")
	s.said, s.redelivered = "", 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var acks, answers latencies
	var prepBytes, prepObjects uint64 // what prep allocated, not the row's
	for i := range s.calls {
		if prep != nil {
			var p0, p1 runtime.MemStats
			runtime.ReadMemStats(&p0)
			if err := prep(i); err != nil {
				s.err = fmt.Errorf("%s: %w", name, err)
				return
			}
			runtime.ReadMemStats(&p1)
			prepBytes += p1.TotalAlloc - p0.TotalAlloc
			prepObjects += p1.Mallocs - p0.Mallocs
		}
		ack, answer, err := call(i)
		if err != nil {
			s.err = fmt.Errorf("%s: %w", name, err)
			return
		}
		if ack > 0 {
			acks = append(acks, ack)
		}
		if answer > 0 {
			answers = append(answers, answer)
		}
	}
	runtime.ReadMemStats(&after)
	n := float64(s.calls)
	s.rows = append(s.rows, scaleRow{name: name, interactive: interactive, deals: s.deals, ack: summarize(acks), answer: summarize(answers),
		bytes: float64(after.TotalAlloc-before.TotalAlloc-prepBytes) / n, objects: float64(after.Mallocs-before.Mallocs-prepObjects) / n,
		peakRSS: procStatus("self", "VmHWM"), startRSS: startRSS, said: s.said, redelivered: s.redelivered})
}

// acked waits for inv's ack and returns its latency; a refusal or an ack
// Slack would reject fails the run (every call here is answered).
func (s *scaler) acked(ctx context.Context, inv *slacktest.Invocation) (time.Duration, time.Duration, error) {
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	a, err := inv.WaitAck(wctx)
	if err != nil {
		return 0, 0, err
	}
	if a.Rejected != "" {
		return 0, 0, fmt.Errorf("ack rejected: %s %v", a.Rejected, a.RejectMessages)
	}
	// From the first delivery: when a slow answer misses Slack's 3 s,
	// the envelope is delivered again and the ack's own Latency counts
	// from that second delivery only.
	env := inv.Envelope()
	if len(env.Deliveries) > 1 {
		s.redelivered++
	}
	var said struct {
		Text string `json:"text"`
	}
	if json.Unmarshal(a.Payload, &said) == nil {
		s.said = said.Text
	}
	return a.At.Sub(env.Created), 0, nil
}

// viewOpened waits for the modal inv opens, closes it, and returns the
// time from the command to views.open.
func (s *scaler) viewOpened(ctx context.Context, inv *slacktest.Invocation) time.Duration {
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	v, err := inv.WaitView(wctx)
	if err != nil {
		s.err = fmt.Errorf("no modal: %w", err)
		return 0
	}
	var at time.Time
	for _, r := range inv.Responses() {
		if r.Kind == slacktest.ResponseViewOpened {
			at = r.At
		}
	}
	if _, err := s.srv.CloseView(v.User, v.ID); err != nil {
		s.err = err
	}
	return at.Sub(inv.Envelope().Created)
}

// exponent is the growth exponent of y between sizes n1 and n2.
func exponent(y1, y2 float64, n1, n2 int) string {
	if y1 <= 0 || y2 <= 0 || n1 == n2 {
		return "—"
	}
	return fmt.Sprintf("%.2f", math.Log(y2/y1)/math.Log(float64(n2)/float64(n1)))
}

func bytesText(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.0f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

// printScale prints the table (rows by command, then size) and the targets
// at the largest size.
func printScale(w io.Writer, f scaleFlags, sizes [][]scaleRow) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| command | deals | ack p50 | ack p99 | answer p99 | allocated per call | objects per call | peak RSS | exponent p50 | exponent bytes |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	if len(sizes) == 0 {
		return
	}
	for i := range sizes[0] {
		for k, rs := range sizes {
			if i >= len(rs) {
				continue
			}
			r := rs[i]
			e50, eb := "—", "—"
			if k > 0 {
				p := sizes[k-1][i]
				e50 = exponent(float64(p.p50()), float64(r.p50()), p.deals, r.deals)
				eb = exponent(p.bytes, r.bytes, p.deals, r.deals)
			}
			fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %.0f | %s (+%.1f) | %s | %s |\n", r.name, r.deals, ms(r.ack.p50), ms(r.ack.p99), ms(r.answer.p99),
				bytesText(r.bytes), r.objects, mib(r.peakRSS), float64(r.peakRSS-r.startRSS)/(1<<20), e50, eb)
		}
	}
	last := sizes[len(sizes)-1]
	fmt.Fprintf(w, "\nthe last answer of each command at %d deals (its text, first 90 characters):\n", last[0].deals)
	for _, r := range last {
		if r.interactive && r.said != "" {
			t := []rune(strings.Join(strings.Fields(r.said), " "))
			fmt.Fprintf(w, "  %-26s %s\n", r.name, string(t[:min(len(t), 90)]))
		}
	}
	for _, rs := range sizes {
		for _, r := range rs {
			if r.redelivered > 0 {
				fmt.Fprintf(w, "  at %d deals, %d of the %d calls of %s were not acked within 3 s and delivered again\n", r.deals, r.redelivered, f.calls, r.name)
			}
		}
	}
	fmt.Fprintf(w, "\ntargets at %d deals (ack or answer p99 ≤ 50 ms and ≤ 20 MB allocated per call; the issue sets them at 1,000,000):\n", last[0].deals)
	for _, r := range last {
		if !r.interactive {
			continue
		}
		fmt.Fprintf(w, "  %-26s p99 %-9s allocated %-10s → %s\n", r.name, ms(r.p99()), bytesText(r.bytes),
			met(r.p99() <= 50*time.Millisecond && r.bytes <= 20e6))
	}
}

// scaleConfigYAML is benchConfigYAML for large.Reps with the large
// sample's segment attribute (its deals carry an industry): what
// /pipeline segments counts in dealbench scale. The load runs keep the
// configuration without segments, so their forms are those measured
// before.
func scaleConfigYAML() string {
	return strings.Replace(benchConfigYAML(large.Reps), "teams:\n",
		"segments:\n  - { name: industry, values: [retail, software, manufacturing, healthcare, banking] }\nteams:\n", 1)
}
