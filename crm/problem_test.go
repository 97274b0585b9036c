package crm

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/i18n"
)

// TestProblemKeysInCatalogue: every catalogue key crm names (a string
// literal "crm.…" in its code, and each action a report line names) has
// its English and French text, so no problem reaches a French workspace
// in English, or anyone as its bare key.
func TestProblemKeysInCatalogue(t *testing.T) {
	keys := map[string]string{}
	for _, a := range []Action{Create, Update, Unchanged, Conflict, Invalid, Skip} {
		keys["crm.action."+string(a)] = "Action " + string(a)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil && strings.HasPrefix(s, "crm.") && !strings.HasSuffix(s, ".") {
				keys[s] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	if len(keys) < 50 {
		t.Fatalf("found %d keys: the scan misses crm's messages", len(keys))
	}
	for k, where := range keys {
		if !i18n.Translated(k) {
			t.Errorf("%s (%s) has no English and French text in i18n's catalogue", k, where)
		}
	}
}

// TestProblemsReadInFrench: a problem reads in English as dealpilot
// import's report writes it, and in French with French quotes and month
// names; a message that quotes a value error writes it in the same
// language; an error that is not crm's own shows as it is.
func TestProblemsReadInFrench(t *testing.T) {
	for _, tt := range []struct {
		name   string
		p      Problem
		en, fr string
	}{
		{"Amount", problemOf(ColAmount, "Amount", errValue("crm.amount.unreadable", "12,3,4", errValue("crm.amount.two_decimal_separators"))),
			`Amount: "12,3,4": two decimal separators`, "Amount : « 12,3,4 » : deux séparateurs décimaux"},
		{"Day", problemOf(ColCloseDate, "Close Date", errValue("crm.date.unreadable", "31/02/2026", errValue("crm.date.no_day", 31, monthName(2), 2026))),
			`Close Date: "31/02/2026": day 31 does not exist in February 2026`, "Close Date : « 31/02/2026 » : le jour 31 n'existe pas en février 2026"},
		{"NotOurs", problemOf(ColOwner, "Owner", os.ErrNotExist), "Owner: file does not exist", "Owner : file does not exist"},
		{"Row", Problem{Key: "crm.amount.no_column"}, "no amount column: dealpilot needs an amount", "aucune colonne de montant : dealpilot a besoin d'un montant"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.String(); got != tt.en {
				t.Errorf("English %q, want %q", got, tt.en)
			}
			if got := tt.p.Text(i18n.FR); got != tt.fr {
				t.Errorf("French %q, want %q", got, tt.fr)
			}
		})
	}
}
