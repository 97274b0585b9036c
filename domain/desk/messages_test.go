package desk_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/desk"
	"github.com/dealpilot/dealpilot/i18n"
)

// TestMessageKeys fails when the package uses a "desk." key missing from the
// catalogue, or whose English and French take different arguments.
func TestMessageKeys(t *testing.T) {
	used := map[string]bool{}
	// Keys built from a prefix ("desk.field."+field) are listed here.
	for _, fld := range []string{"discount", "justification", "competitor", "terms", "other_terms", "plan", "comment"} {
		used["desk.field."+fld] = true
	}
	for _, term := range desk.Terms {
		used["desk.term."+string(term)] = true
	}
	used["desk.side."+string(desk.Ours)], used["desk.side."+string(desk.Customer)] = true, true

	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				if strings.HasPrefix(s, "desk.") && !strings.HasSuffix(s, ".") {
					used[s] = true
				}
			}
			return true
		})
	}
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[a-zA-Z%]`)
	arity := func(format string) int {
		n, seq := 0, 0
		for _, m := range verb.FindAllStringSubmatch(format, -1) {
			switch {
			case strings.HasSuffix(m[0], "%"):
			case m[1] != "":
				i, _ := strconv.Atoi(strings.Trim(m[1], "[]"))
				n = max(n, i)
			default:
				seq++
				n = max(n, seq)
			}
		}
		return n
	}
	if len(used) < 60 {
		t.Fatalf("found only %d keys; is the scan broken?", len(used))
	}
	for k := range used {
		if !i18n.Has(k) {
			t.Errorf("key %s is not in the catalogue", k)
			continue
		}
		en, fr := i18n.T(i18n.EN, k), i18n.T(i18n.FR, k)
		if arity(en) != arity(fr) {
			t.Errorf("key %s: English takes %d arguments, French %d", k, arity(en), arity(fr))
		}
	}
}

func TestUsersLocalize(t *testing.T) {
	tests := []struct {
		name   string
		users  desk.Users
		en, fr string
	}{
		{"None", nil, "nobody", "personne"},
		{"One", desk.Users{"U1"}, "@U1", "@U1"},
		{"Two", desk.Users{"U1", "U2"}, "@U1 or @U2", "@U1 ou @U2"},
		{"Three", desk.Users{"U1", "U2", "U3"}, "@U1, @U2 or @U3", "@U1, @U2 ou @U3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := i18n.Localize(i18n.EN, tt.users); got != tt.en {
				t.Errorf("en = %q, want %q", got, tt.en)
			}
			if got := i18n.Localize(i18n.FR, tt.users); got != tt.fr {
				t.Errorf("fr = %q, want %q", got, tt.fr)
			}
		})
	}
}

// TestUsersJoin: a transport renders each user with its own mention and
// the words around them with its own escaping.
func TestUsersJoin(t *testing.T) {
	mention := func(u domain.UserID) string { return "[" + string(u) + "]" }
	tests := []struct {
		users  desk.Users
		en, fr string
	}{
		{nil, "NOBODY", "PERSONNE"},
		{desk.Users{"U1"}, "[U1]", "[U1]"},
		{desk.Users{"U1", "U2"}, "[U1] OR [U2]", "[U1] OU [U2]"},
		{desk.Users{"U1", "U2", "U3"}, "[U1], [U2] OR [U3]", "[U1], [U2] OU [U3]"},
	}
	for _, tt := range tests {
		if got := i18n.JoinUsers(i18n.EN, tt.users, mention, strings.ToUpper); got != tt.en {
			t.Errorf("en %v = %q, want %q", tt.users, got, tt.en)
		}
		if got := i18n.JoinUsers(i18n.FR, tt.users, mention, strings.ToUpper); got != tt.fr {
			t.Errorf("fr %v = %q, want %q", tt.users, got, tt.fr)
		}
	}
}
