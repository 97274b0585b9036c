package main

import (
	"context"
	"encoding/binary"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// seedGarbled writes the sample pipeline to a new file at path, then
// garbles one of Rep1's open deals straight through bbolt; it returns that
// deal.
func seedGarbled(t *testing.T, path string) *domain.Deal {
	t.Helper()
	clock := domain.NewManualClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	deals, err := sample.Seed(t.Context(), db, clock, clock.Now(), domain.DefaultStages())
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	var bad *domain.Deal
	for _, d := range deals {
		if d.Owner == sample.Rep1 && d.Status == domain.Open {
			bad = d
			break
		}
	}
	bdb, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("deals")).Put(binary.BigEndian.AppendUint64(nil, uint64(bad.ID)), []byte(`{"v":1,"name":`))
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	return bad
}

// TestDamageWhileServing runs the real serve command on a file with one
// garbled deal: lists skip it, the log names it once, /metrics counts it;
// `dealpilot backup` copies the file while the bot runs (through the bot,
// on loopback only, and only the file DEALPILOT_DB names); `dealpilot
// check` reports the bad record in the copy.
func TestDamageWhileServing(t *testing.T) {
	srv, err := slacktest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddUser(slacktest.User{ID: string(sample.Rep1), Name: "lea", TZ: "Europe/Paris"})
	srv.AddChannel(slacktest.Channel{ID: sample.SalesChannel, Name: "sales", Members: []string{slacktest.BotUserID}})
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "d.db")
	bad := seedGarbled(t, dbPath)
	cfgPath := filepath.Join(dir, "dealpilot.yaml")
	os.WriteFile(cfgPath, []byte(sample.Config), 0o600)
	env := map[string]string{
		"SLACK_APP_TOKEN": srv.AppToken(), "SLACK_BOT_TOKEN": srv.BotToken(), "SLACK_API_URL": srv.APIURL(),
		"DEALPILOT_DB": dbPath, "DEALPILOT_CONFIG": cfgPath, "DEALPILOT_HTTP_ADDR": "127.0.0.1:0",
		"DEALPILOT_METRICS_ADDR": "127.0.0.1:0", "LOG_FORMAT": "json",
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, &logs, &logs, envOf(env)) }()
	wait, stop := context.WithTimeout(t.Context(), 20*time.Second)
	defer stop()
	if err := srv.WaitConnected(wait, 1); err != nil {
		t.Fatal(err)
	}
	addr := checkHealth(t, logs.String)

	for range 2 {
		inv, err := srv.SlashCommand(string(sample.Rep1), sample.SalesChannel, "/deal", "list")
		if err != nil {
			t.Fatal(err)
		}
		r, err := inv.NextResponse(wait)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Render(); !strings.Contains(got, "D-") || strings.Contains(got, "went wrong") {
			t.Errorf("/deal list with one bad record:\n%s", got)
		}
	}
	if n := strings.Count(logs.String(), `"key":"`+bad.ID.Ref()+`"`); n != 1 {
		t.Errorf("the bad record is logged %d times, want once:\n%s", n, logs.String())
	}
	resp, err := http.Get("http://" + logField(t, logs.String, "metrics") + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := `dealpilot_store_bad_records_total{bucket="deals"} 1`; !strings.Contains(string(body), want) {
		t.Errorf("/metrics lacks %s", want)
	}

	t.Run("BackupThroughTheBot", func(t *testing.T) {
		dst := filepath.Join(t.TempDir(), "copy.db")
		code, out, errOut := run(t, map[string]string{"DEALPILOT_DB": dbPath, "DEALPILOT_HTTP_ADDR": addr}, "backup", dst)
		if code != 0 || !strings.Contains(out, "from the running bot") {
			t.Fatalf("backup while serving: exit %d, %s%s", code, out, errOut)
		}
		code, out, _ = run(t, nil, "check", dst)
		if code != exitFailed || !strings.Contains(out, "bad record: deals/"+bad.ID.Ref()+":") || !strings.Contains(out, "1 of ") {
			t.Errorf("check of the copy: exit %d\n%s", code, out)
		}
		// The bad deal still counts in the forecast's sums, which were
		// moved when it was written: the check says so.
		if !strings.Contains(out, "drift:      fc_sums/") || !strings.Contains(out, ": 1 of the forecast's sums differ from the deals") {
			t.Errorf("check of the copy does not report the sums' drift:\n%s", out)
		}
		cp, err := store.Open(dst, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer cp.Close()
		if deals, err := cp.Deals(t.Context(), domain.DealFilter{}); err != nil || len(deals) != 24 {
			t.Errorf("the copy lists %d deals (%v), want the 24 good ones", len(deals), err)
		}
	})
	t.Run("CheckRefusesTheLiveFile", func(t *testing.T) {
		code, _, errOut := run(t, nil, "check", dbPath)
		if code != exitFailed || !strings.Contains(errOut, "back it up first") {
			t.Errorf("check of the live file: exit %d, %s", code, errOut)
		}
	})
	t.Run("OnlyTheFileNamed", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "other.db")
		db, err := store.Open(other, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Held by another process (here, this one), the file is asked of
		// the bot on DEALPILOT_HTTP_ADDR, which serves another file: refused.
		dst := filepath.Join(t.TempDir(), "copy.db")
		code, _, errOut := run(t, map[string]string{"DEALPILOT_DB": other, "DEALPILOT_HTTP_ADDR": addr}, "backup", dst)
		if code == 0 || !strings.Contains(errOut, "not DEALPILOT_DB") {
			t.Errorf("backup of another held file through this bot: exit %d, %s", code, errOut)
		}
		if _, err := os.Stat(dst); err == nil {
			t.Error("a copy was written anyway")
		}
		// Held by no one, it is copied directly, whatever answers on
		// DEALPILOT_HTTP_ADDR: the copy is of the file named.
		db.Close()
		code, out, errOut := run(t, map[string]string{"DEALPILOT_DB": other, "DEALPILOT_HTTP_ADDR": addr}, "backup", dst)
		if code != 0 || !strings.Contains(out, "no bot running") {
			t.Fatalf("backup of a free file beside a running bot: exit %d, %s%s", code, out, errOut)
		}
		cp, err := store.Open(dst, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer cp.Close()
		if deals, err := cp.Deals(t.Context(), domain.DealFilter{}); err != nil || len(deals) != 0 {
			t.Errorf("the copy of the empty file lists %d deals (%v), want none: the bot's file was copied", len(deals), err)
		}
	})
	t.Run("LoopbackHostsOnly", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/backup", nil)
		req.Host = "dealpilot.attacker.example" // a page whose name was rebound to 127.0.0.1
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("backup for host %s: %s, want 403", req.Host, resp.Status)
		}
	})

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
}

// TestLoopbackRequest: a backup is served only to a client on this machine
// that asked for a loopback host.
func TestLoopbackRequest(t *testing.T) {
	for _, c := range []struct {
		remote, host string
		ok           bool
	}{
		{"127.0.0.1:5000", "127.0.0.1:8080", true},
		{"127.0.0.1:5000", "localhost:8080", true},
		{"[::1]:5000", "[::1]:8080", true},
		{"192.0.2.7:5000", "127.0.0.1:8080", false},    // another machine (DEALPILOT_HTTP_ADDR on 0.0.0.0)
		{"127.0.0.1:5000", "evil.example:8080", false}, // DNS rebinding from a web page
		{"127.0.0.1:5000", "10.0.0.5:8080", false},
		{"not an address", "127.0.0.1:8080", false},
	} {
		r, _ := http.NewRequest(http.MethodGet, "http://"+c.host+"/backup", nil)
		r.RemoteAddr, r.Host = c.remote, c.host
		if got := loopbackRequest(r); got != c.ok {
			t.Errorf("remote %s, host %s: %v, want %v", c.remote, c.host, got, c.ok)
		}
	}
}
