package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/bot/slack/slacktest"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/store"
)

// viaBot is a HubSpot export whose first owner only Slack knows by email
// (the configuration's import: owners maps hugo@example.com alone).
const viaBot = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company,Next step\n" +
	"21,Acme renewal,Contract Sent,2026-12-15,lea@acme.example,12000,Acme,Send the order form\n" +
	"22,Globex rollout,Verbal agreement,2027-01-20,hugo@example.com,\"4,500.50\",Globex,\n"

// TestImportThroughRunningBot: while serve holds the file, dealpilot import
// sends the export to the bot on its loopback address, with the token the
// bot wrote beside the file; the bot imports into its own store (no
// downtime) and the CLI prints the same report and exits with the same
// code as an import with the bot stopped. The running bot finds an owner
// given by email in Slack, which the stopped bot cannot. A caller without
// the token, naming another host, or for another file is refused.
func TestImportThroughRunningBot(t *testing.T) {
	r := newImportRun(t)
	srv, err := slacktest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.AddUser(slacktest.User{ID: string(sample.Rep1), Name: "lea", TZ: "Europe/Paris", Email: "lea@acme.example"})
	srv.AddChannel(slacktest.Channel{ID: sample.SalesChannel, Name: "sales", Members: []string{slacktest.BotUserID}})
	csv := filepath.Join(r.dir, "deals.csv")
	if err := os.WriteFile(csv, []byte(viaBot), 0o600); err != nil {
		t.Fatal(err)
	}

	// The bot stopped: the email is unknown (no lookup without the bot).
	code, out, _ := r.run(viaBot, "--dry-run")
	mustContain(t, "the dry run with the bot stopped", out, `line 2: invalid   Deal owner: unknown owner "lea@acme.example"`, "total: 1 create, 1 invalid")
	if code != exitOK {
		t.Fatalf("dry run exit %d", code)
	}

	env := map[string]string{
		"SLACK_APP_TOKEN": srv.AppToken(), "SLACK_BOT_TOKEN": srv.BotToken(), "SLACK_API_URL": srv.APIURL(),
		"DEALPILOT_DB": r.db, "DEALPILOT_CONFIG": r.config, "DEALPILOT_HTTP_ADDR": "127.0.0.1:0",
		"DEALPILOT_METRICS_ADDR": "off", "LOG_FORMAT": "json",
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
	cli := func(args ...string) (int, string, string) {
		t.Helper()
		return run(t, map[string]string{"DEALPILOT_DB": r.db, "DEALPILOT_HTTP_ADDR": addr}, append([]string{"import", csv}, args...)...)
	}

	code, out, errOut := cli("--dry-run")
	if code != exitOK {
		t.Fatalf("dry run through the bot: exit %d\n%s%s", code, out, errOut)
	}
	mustContain(t, "the dry run through the bot", out,
		`deals.csv: HubSpot deal export (hubspot-en)`,
		`line 2: create    "Acme renewal" (hubspot:21): Acme, Negotiation, 12000.00 EUR, closes 2026-12-15, owner U0REP1`,
		`line 3: create    "Globex rollout" (hubspot:22): Globex, Closing, 4500.50 EUR`, "total: 2 create", "dry run: nothing written")
	mustContain(t, "the CLI's note", errOut, "imported through it, with its configuration")
	if n := len(srv.Calls("users.lookupByEmail")); n != 1 {
		t.Errorf("%d lookups, want 1", n)
	}

	code, out, errOut = cli()
	if code != exitOK {
		t.Fatalf("import through the bot: exit %d\n%s%s", code, out, errOut)
	}
	mustContain(t, "the import through the bot", out, `written: 2 created, 0 updated (history by "import")`)
	// Again: unchanged, the same words as without the bot.
	code, out, _ = cli()
	mustContain(t, "the import again", out, "line 2: unchanged D-1", "total: 2 unchanged", "nothing to write")
	if code != exitOK {
		t.Errorf("again: exit %d", code)
	}

	// Invalid rows stop the import through the bot as they do without it.
	bad := filepath.Join(r.dir, "bad.csv")
	os.WriteFile(bad, []byte(strings.Replace(viaBot, "12000", "12x00", 1)), 0o600)
	code, out, _ = run(t, map[string]string{"DEALPILOT_DB": r.db, "DEALPILOT_HTTP_ADDR": addr}, "import", bad)
	if code != exitFailed || !strings.Contains(out, "nothing written: 1 invalid rows") {
		t.Errorf("an invalid row through the bot: exit %d\n%s", code, out)
	}
	// A file crm cannot read: the bot's words are the CLI's.
	empty := filepath.Join(r.dir, "empty.csv")
	os.WriteFile(empty, nil, 0o600)
	code, _, errOut = run(t, map[string]string{"DEALPILOT_DB": r.db, "DEALPILOT_HTTP_ADDR": addr}, "import", empty)
	if code != exitFailed || !strings.Contains(errOut, "dealpilot import: "+empty+": ") || !strings.Contains(errOut, "nothing imported") {
		t.Errorf("an empty file through the bot: exit %d\n%s", code, errOut)
	}

	t.Run("WrongToken", func(t *testing.T) {
		tok := tokenPath(r.db)
		saved, err := os.ReadFile(tok)
		if err != nil {
			t.Fatalf("no token beside the file: %v", err)
		}
		if info, _ := os.Stat(tok); info.Mode().Perm() != 0o600 {
			t.Errorf("the token file is %v, want 0600", info.Mode().Perm())
		}
		os.WriteFile(tok, []byte("0123456789abcdef\n"), 0o600)
		defer os.WriteFile(tok, saved, 0o600)
		code, _, errOut := cli("--dry-run")
		if code != exitFailed || !strings.Contains(errOut, "403 Forbidden wrong token") {
			t.Errorf("a wrong token: exit %d, %s", code, errOut)
		}
	})
	t.Run("AnotherFile", func(t *testing.T) {
		// Another file, held (here by this process), with a token of its
		// own: this bot refuses it, and writes nothing in either.
		other := filepath.Join(t.TempDir(), "other.db")
		db, err := store.Open(other, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		code, _, errOut := run(t, map[string]string{"DEALPILOT_DB": other, "DEALPILOT_HTTP_ADDR": addr}, "import", csv)
		if code != exitFailed || !strings.Contains(errOut, "wrote no import token") {
			t.Errorf("another held file without a token: exit %d, %s", code, errOut)
		}
		os.WriteFile(tokenPath(other), []byte("feedface\n"), 0o600)
		code, _, errOut = run(t, map[string]string{"DEALPILOT_DB": other, "DEALPILOT_HTTP_ADDR": addr}, "import", csv)
		if code != exitFailed || !strings.Contains(errOut, "wrong token: this bot serves "+r.db) {
			t.Errorf("another held file: exit %d, %s", code, errOut)
		}
	})
	t.Run("LoopbackHostsOnly", func(t *testing.T) {
		tok, _ := os.ReadFile(tokenPath(r.db))
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/import?dry-run=1", bytes.NewReader(nil))
		req.Host = "dealpilot.attacker.example"
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("import for host %s: %s, want 403", req.Host, resp.Status)
		}
	})

	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d:\n%s", code, logs.String())
	}
	if _, err := os.Stat(tokenPath(r.db)); !os.IsNotExist(err) {
		t.Errorf("the token outlives the bot: %v", err)
	}
	ds := r.deals()
	if len(ds) != 2 || ds[0].Owner != sample.Rep1 || ds[0].ExternalID != "hubspot:21" || ds[0].CreatedBy != "import" || ds[1].Owner != sample.Rep2 {
		t.Fatalf("deals after the import through the bot: %+v", ds)
	}
	if h := r.history(ds[0].ID); len(h) == 0 || h[0].By != domain.ImportAuthor {
		t.Errorf("history of the imported deal: %+v", h)
	}
}
