package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// buildBinary compiles dealpilot into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dealpilot")
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestCrashKeepsEveryConfirmedUpdate runs `dealpilot serve` as a child
// process against the local Slack, drives quick amount updates and deal
// creations through the new-deal modal, kills the process with SIGKILL in
// the middle, and checks the file: every change a user was told was saved is
// there, and bbolt's consistency check passes. Then it restarts on the same
// file and does it again (3 rounds; 20 with DEALPILOT_LONG=1).
func TestCrashKeepsEveryConfirmedUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	rounds := 3
	if os.Getenv("DEALPILOT_LONG") == "1" {
		rounds = 20
	}
	bin := buildBinary(t)
	srv, err := slacktest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, p := range sample.People {
		srv.AddUser(slacktest.User{ID: string(p.ID), Name: p.Name, RealName: p.RealName, TZ: p.TZ})
	}
	srv.AddChannel(slacktest.Channel{ID: sample.SalesChannel, Name: "sales", Members: []string{slacktest.BotUserID}})
	dir := t.TempDir()
	dbPath, cfgPath := filepath.Join(dir, "dealpilot.db"), filepath.Join(dir, "dealpilot.yaml")
	if err := os.WriteFile(cfgPath, []byte(sample.Config), 0o600); err != nil {
		t.Fatal(err)
	}
	// Deals to update, one per rep.
	reps := []domain.UserID{sample.Rep1, sample.Rep2, sample.Rep3}
	var deals []*domain.Deal
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, rep := range reps {
		d, err := db.CreateDeal(t.Context(), &domain.Deal{Name: fmt.Sprintf("Crash deal %d", i), Account: fmt.Sprintf("Crash %d", i),
			Owner: rep, Amount: 1_000_000, Currency: "EUR", Stage: "Qualification", Category: domain.Pipeline,
			CloseDate: domain.DateOf(time.Now()).AddDays(60), Status: domain.Open}, rep, "")
		if err != nil {
			t.Fatal(err)
		}
		deals = append(deals, d)
	}
	db.Close()

	env := append(os.Environ(),
		"SLACK_APP_TOKEN="+srv.AppToken(), "SLACK_BOT_TOKEN="+srv.BotToken(), "SLACK_API_URL="+srv.APIURL(),
		"DEALPILOT_DB="+dbPath, "DEALPILOT_CONFIG="+cfgPath, "DEALPILOT_HTTP_ADDR=off", "LOG_LEVEL=warn", "LOG_FORMAT=json")
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var told []confirmedChange
	seq := 0
	for round := range rounds {
		opened := srv.Counters().ConnectionsOpened
		cmd := exec.Command(bin, "serve")
		cmd.Env = env
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		if err := srv.WaitFor(ctx, func(st *slacktest.State) bool { return st.Counters.ConnectionsOpened > opened }); err != nil {
			cancel()
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("round %d: serve did not connect: %v\n%s", round, err, stderr.String())
		}

		// The write load, until the kill.
		loadCtx, stopLoad := context.WithCancel(ctx)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var updates []*sentUpdate
		var creations []*sentCreation
		wg.Add(2)
		go func() { // quick updates, 200/s without waiting for answers
			defer wg.Done()
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-loadCtx.Done():
					return
				case <-tick.C:
				}
				d := deals[i%len(deals)]
				mu.Lock()
				seq++
				amount := 10_000 + seq
				mu.Unlock()
				inv, err := srv.SlashCommand(string(d.Owner), sample.SalesChannel, "/deal", fmt.Sprintf("amount %s %d", d.ID.Ref(), amount))
				if err != nil {
					return
				}
				mu.Lock()
				updates = append(updates, &sentUpdate{inv: inv, deal: d.ID, amount: int64(amount) * 100})
				mu.Unlock()
			}
		}()
		go func() { // deals created through the modal, one after another
			defer wg.Done()
			for i := 0; loadCtx.Err() == nil; i++ {
				rep := reps[i%len(reps)]
				inv, err := srv.SlashCommand(string(rep), sample.SalesChannel, "/deal", "new")
				if err != nil {
					return
				}
				view, err := inv.WaitView(loadCtx)
				if err != nil {
					return
				}
				name := fmt.Sprintf("Crash r%d n%d", round, i)
				sub, err := srv.SubmitView(string(rep), view.ID, slacktest.Values{
					"name": name, "account": "Crash Co", "amount": "12k", "close_date": domain.DateOf(time.Now()).AddDays(30).String(),
					"stage": "Qualification", "next_step": "Call", "next_step_due": domain.DateOf(time.Now()).AddDays(3).String(),
				})
				if err != nil {
					return
				}
				mu.Lock()
				creations = append(creations, &sentCreation{cmd: inv, sub: sub, name: name})
				mu.Unlock()
				if _, err := sub.WaitAck(loadCtx); err != nil {
					return
				}
			}
		}()
		time.Sleep(time.Duration(300+r.IntN(900)) * time.Millisecond) // let the load run: the kill lands mid-write
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		stopLoad()
		wg.Wait()
		cancel()

		// What users were told was saved.
		mu.Lock()
		n := 0
		for _, u := range updates {
			for _, resp := range u.inv.Responses() {
				if strings.Contains(resp.Render(), "Updated "+u.deal.Ref()) {
					told = append(told, confirmedChange{deal: u.deal, amount: u.amount})
					n++
					break
				}
			}
		}
		created := 0
		for _, c := range creations {
			for _, resp := range c.cmd.Responses() {
				if strings.Contains(resp.Render(), "Created") && !resp.At.Before(c.sub.At) {
					told = append(told, confirmedChange{name: c.name})
					created++
					break
				}
			}
		}
		mu.Unlock()
		t.Logf("round %d: %d updates sent, %d confirmed; %d creations submitted, %d confirmed; killed", round, len(updates), n, len(creations), created)
		checkFile(t, dbPath, told)
	}
	if len(told) == 0 {
		t.Fatal("no change was ever confirmed: the test proves nothing")
	}
}

type sentUpdate struct {
	inv    *slacktest.Invocation
	deal   domain.DealID
	amount int64 // minor units
}

type sentCreation struct {
	cmd, sub *slacktest.Invocation
	name     string
}

// confirmedChange is an amount set on a deal, or a deal created by name.
type confirmedChange struct {
	deal   domain.DealID
	amount int64
	name   string
}

// checkFile opens the file the killed process left, runs bbolt's check and
// looks for every confirmed change.
func checkFile(t *testing.T, path string, told []confirmedChange) {
	t.Helper()
	db, err := store.Open(path, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("reopening after SIGKILL: %v", err)
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		t.Fatalf("the file fails bbolt's check after SIGKILL: %v", err)
	}
	amounts := map[domain.DealID]map[string]bool{}
	names := map[string]bool{}
	all, err := db.Deals(t.Context(), domain.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range all {
		names[d.Name] = true
	}
	for _, c := range told {
		if c.name != "" {
			if !names[c.name] {
				t.Errorf("deal %q was confirmed as created but is not in the file", c.name)
			}
			continue
		}
		if amounts[c.deal] == nil {
			hist, err := db.History(t.Context(), c.deal)
			if err != nil {
				t.Fatal(err)
			}
			amounts[c.deal] = map[string]bool{}
			for _, e := range hist {
				if e.Field == domain.FieldAmount {
					amounts[c.deal][e.New] = true
				}
			}
		}
		if !amounts[c.deal][strconv.FormatInt(c.amount, 10)] {
			t.Errorf("%s: amount %d was confirmed but is not in the history", c.deal.Ref(), c.amount)
		}
	}
}
