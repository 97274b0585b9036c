package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/store"
)

// demoServeInput is typed at the prompt after the tour: commands as Léa
// (the first user), a switch to Claire, one command as Hugo, mistakes,
// help, a form, then the end of the input.
const demoServeInput = `/deal amount D-26 80k
as claire
/forecast quota @lea 160k
as hugo /deal show D-26
/deal frobnicate
/frobnicate
hello
as nobody
help
as lea /deal new
`

// TestDemoServe: after the tour, demo --serve plays what is typed, one
// line a command, printing the bot's answers as the transcript does
// (testdata/demo_serve.txt); at the end of the input it stops the bot,
// which closes the store: the file opens, holding the typed change.
func TestDemoServe(t *testing.T) {
	path := t.TempDir() + "/demo.db"
	var out, errOut bytes.Buffer
	if code := demo(t.Context(), []string{"--serve", "--db", path}, strings.NewReader(demoServeInput), &out, &errOut); code != exitOK {
		t.Fatalf("demo --serve exited %d: %s\n%s", code, errOut.String(), out.String())
	}
	_, session, ok := strings.Cut(out.String(), "End of the demo: every envelope was acknowledged and answered.\n")
	if !ok {
		t.Fatalf("no end of the tour in:\n%s", out.String())
	}
	if strings.Contains(session, "<@U") {
		t.Errorf("the session shows user ids, not names:\n%s", session)
	}
	goldenText(t, "demo_serve", session)

	db, err := store.Open(path, store.Options{}) // closed by the demo, or this fails on the file's lock
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := db.Deal(t.Context(), 26)
	if err != nil || d.Amount != 80_000_00 {
		t.Errorf("D-26 after the session: %+v %v, want the amount typed at the prompt (80k)", d, err)
	}
}

// TestDemoServeEmptyInput: --serve with an empty input ends after
// the tour, cleanly.
func TestDemoServeEmptyInput(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := demo(t.Context(), []string{"--serve"}, strings.NewReader(""), &out, &errOut); code != exitOK ||
		!strings.HasSuffix(out.String(), "quit or Ctrl-D ends).\nEnd of the session.\n") {
		t.Fatalf("demo --serve on no input: exit %d, %s\n%s", code, errOut.String(), out.String())
	}
}
