package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/sample"
	"github.com/dealpilot/dealpilot/domain"
)

// importFrenchCSV is importCSV exported again, once Acme's amount was
// changed in dealpilot too (a conflict), with the problems a user meets
// most: an amount that is not one (line 5), an owner no one maps (line 6),
// a stage with no mapping (line 7), a date that does not exist (line 8), a
// negative amount (line 9) and an id twice (line 10).
const importFrenchCSV = "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Associated Company,Next step\n" +
	"501,Acme renewal,Contract Sent,2026-12-15,U0REP1,15000,Acme,Send the order form\n" +
	"502,Globex rollout,Appointment Scheduled,2027-01-20,U0REP1,4500,Globex,Book the demo\n" +
	"503,Initech pilot,Qualified To Buy,2027-02-10,U0REP1,8000,Initech,Call the CFO\n" +
	"604,Hooli deal,Contract Sent,2026-12-15,U0REP1,12x00,Hooli,Send the order form\n" +
	"605,Stark deal,Contract Sent,2026-12-15,j.doe@example.com,5000,Stark,Send the order form\n" +
	"606,Wayne deal,Verbal yes,2026-12-15,U0REP1,5000,Wayne,Send the order form\n" +
	"607,Cyberdyne deal,Contract Sent,31/02/2026,U0REP1,5000,Cyberdyne,Send the order form\n" +
	"608,Tyrell deal,Contract Sent,2026-12-15,U0REP1,-2500,Tyrell,Send the order form\n" +
	"604,Hooli again,Contract Sent,2026-12-15,U0REP1,12000,Hooli,Send the order form\n"

// TestImportSummaryInFrench: in a French workspace, the summary a manager
// gets in the bot's DM lists its lines to look at in French (the problems
// of invalid rows and the conflicts, with French amounts), not in the
// English of dealpilot import's report, nor its flags (--prefer-file).
func TestImportSummaryInFrench(t *testing.T) {
	h := newHarness(t, withConfig(strings.Replace(sample.Config, "locale: en", "locale: fr", 1)))
	dm := h.srv.DMChannel(string(sample.Manager))
	_, sum := h.upload(sample.Manager, "hubspot-deals.csv", importCSV)
	h.clickIn(sample.Manager, dm, sum.TS, bot.ActionImportApply)
	h.waitText(dm, h.waitBotMessage(dm, 1).TS, "3 créées")
	acme := h.importedDeals()["hubspot:501"]
	if _, _, err := h.store().UpdateDeal(context.Background(), acme.ID, acme.Version, sample.Rep1, func(d *domain.Deal) error {
		d.Amount = 1300000
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	_, again := h.upload(sample.Manager, "hubspot-deals.csv", importFrenchCSV)
	blocks := string(again.Blocks)
	for _, english := range []string{"line ", ": invalid ", "unknown", "is not", "changed in dealpilot", "--prefer-file"} {
		if strings.Contains(blocks, english) {
			t.Errorf("the French summary says %q:\n%s", english, blocks)
		}
	}
	goldenBlocks(t, "import_summary_problems_fr", again.Blocks)

	// A file that cannot be imported at all says why in French too.
	_, bad := h.upload(sample.Manager, "titles.csv", "Title,Value\nx,1\n")
	want := "titles.csv ne peut pas être importé : ligne 1 : les en-têtes (« Title », « Value ») ne sont pas ceux d'un export d'affaires HubSpot"
	if got := bad.Text + string(bad.Blocks); !strings.Contains(got, want) {
		t.Errorf("a file with unknown headers was answered %s, want %q", got, want)
	}
}

var signedValue = regexp.MustCompile(`"value":"s1\.[^"]*"`)

// goldenBlocks compares a message's blocks, as indented JSON, with
// testdata/name.json (the package's -update flag rewrites it).
func goldenBlocks(t *testing.T, name string, blocks []byte) {
	t.Helper()
	// A button's value is the file id signed with the run's key.
	blocks = signedValue.ReplaceAll(blocks, []byte(`"value":"(signed file id)"`))
	var b bytes.Buffer
	if err := json.Indent(&b, blocks, "", "  "); err != nil {
		t.Fatal(err)
	}
	b.WriteByte('\n')
	path := filepath.Join("testdata", name+".json")
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("%s differs from the golden file (go test ./bot/slack -run %s -update to accept):\n%s", path, t.Name(), b.String())
	}
}
