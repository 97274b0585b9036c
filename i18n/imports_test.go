package i18n

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsOnlyStdlibAndDomain keeps the catalogue next to the rules:
// every package of ours but domain may import it, so it imports only the
// standard library and the domain packages whose values it writes (tests
// included).
func TestImportsOnlyStdlibAndDomain(t *testing.T) {
	allowed := map[string]bool{
		"github.com/dealpilot/dealpilot/domain":            true,
		"github.com/dealpilot/dealpilot/domain/coaching":   true,
		"github.com/dealpilot/dealpilot/domain/commission": true,
		"github.com/dealpilot/dealpilot/domain/desk":       true,
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") && !allowed[p] {
				t.Errorf("%s imports %s: i18n may import only the standard library and domain's packages", name, p)
			}
		}
	}
}
