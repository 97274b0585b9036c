package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
)

const importBase = base + `import:
  stages:
    - crm: Contract sent
      stage: negotiation
      category: commit
    - crm: Lost - no budget
      status: lost
  owners:
    Lea@Example.com: U0REP1
    "  Hugo   Martin ": U0REP2
`

func TestImportSection(t *testing.T) {
	cfg, err := Parse("dealpilot.yaml", []byte(importBase), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	want := []ImportStage{
		{CRM: "Contract sent", Stage: "Negotiation", Category: domain.Commit, Status: domain.Open},
		{CRM: "Lost - no budget", Status: domain.Lost},
	}
	if len(cfg.Import.Stages) != 2 || cfg.Import.Stages[0] != want[0] || cfg.Import.Stages[1] != want[1] {
		t.Errorf("stages = %+v", cfg.Import.Stages)
	}
	if cfg.Import.Owners["lea@example.com"] != "U0REP1" || cfg.Import.Owners["hugo martin"] != "U0REP2" || len(cfg.Import.Owners) != 2 {
		t.Errorf("owners = %v", cfg.Import.Owners)
	}
	if d := Default(); len(d.Import.Stages) != 0 || len(d.Import.Owners) != 0 {
		t.Errorf("default import = %+v", d.Import)
	}
}

func TestImportSectionErrors(t *testing.T) {
	tests := []struct {
		name, from, to, key, msg string
	}{
		{"UnknownKey", "  owners:\n", "  owner_map: {} # <-\n  owners:\n", "import.owner_map", "unknown key"},
		{"UnknownStage", "      stage: negotiation\n", "      stage: Contract # <-\n", "import.stages[0].stage", `"Contract" is not one of the stages (Qualification, Discovery`},
		{"BadCategory", "      category: commit\n", "      category: likely # <-\n", "import.stages[0].category", "not a forecast category"},
		{"BadStatus", "      status: lost\n", "      status: dead # <-\n", "import.stages[1].status", "not a status"},
		{"OpenNeedsStage", "    - crm: Contract sent\n      stage: negotiation\n", "    - crm: Contract sent # <-\n", "import.stages[0]", "stage is required"},
		{"MissingCRM", "    - crm: Lost - no budget\n      status: lost\n", "    - status: lost # <-\n", "import.stages[1].crm", "required"},
		{"StageTwice", "    - crm: Lost - no budget\n", "    - crm: \" contract   SENT\" # <-\n", "import.stages[1].crm", "mapped twice"},
		{"OwnerTwice", "    Lea@Example.com: U0REP1\n", "    Lea@Example.com: U0REP1\n    lea@example.com: U0REP2 # <-\n", "import.owners.lea@example.com", "mapped twice"},
		{"OwnerNotUser", "    Lea@Example.com: U0REP1\n", "    Lea@Example.com: lea # <-\n", "import.owners.Lea@Example.com", "not a test user id"},
		{"OwnersNotMapping", "  owners:\n    Lea@Example.com: U0REP1\n    \"  Hugo   Martin \": U0REP2\n", "  owners: [U0REP1] # <-\n", "import.owners", "want a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := strings.Replace(importBase, tt.from, tt.to, 1)
			if content == importBase {
				t.Fatal("the case changes nothing")
			}
			_, err := Parse("f.yaml", []byte(content), testIDs)
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("Parse = %v, want Errors", err)
			}
			prefix := "f.yaml:" + itoa(markedLine(content)) + ": " + tt.key + ":"
			for _, e := range es {
				if strings.HasPrefix(e.Error(), prefix) && strings.Contains(e.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("no error starts with %q and mentions %q; got:\n%v", prefix, tt.msg, err)
		})
	}
}

// TestExampleImport: the example's import: section is what it says.
func TestExampleImport(t *testing.T) {
	cfg, err := Parse("example.yaml", []byte(Example()), testIDs)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Import.Stages) != 2 || cfg.Import.Stages[0].Stage != "Negotiation" || cfg.Import.Stages[1].Status != domain.Lost ||
		cfg.Import.Owners["lea@example.com"] != "U0REP1" || cfg.Import.Owners["hugo bernard"] != "U0REP2" {
		t.Errorf("import = %+v", cfg.Import)
	}
}
