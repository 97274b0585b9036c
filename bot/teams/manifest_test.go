package teams

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dealpilot/dealpilot/bot/teams/teamstest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

const manifestDir = "../../manifests/teams"

// manifestSchema compiles the Teams app manifest schema (v1.24) from the
// shared reference folder, never copied into the project. The file
// declares draft-04, which knows no const, so manifestVersion's pin would
// be ignored: it is compiled as draft-07 (its $schema dropped in memory),
// and manifestVersion is also checked on its own.
func manifestSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	dir, err := teamstest.FindSharedDir()
	if err != nil {
		t.Skipf("the Teams manifest schema is absent (the shared folder is missing): %v", err)
	}
	path := filepath.Join(dir, "MicrosoftTeams.schema.json")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("the Teams manifest schema is absent: %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		t.Fatalf("%s is not a JSON object", path)
	}
	delete(m, "$schema")
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.UseRegexpEngine(teamstest.ECMARegexp)
	const url = "https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.schema.json"
	if err := c.AddResource(url, m); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func readManifest(t *testing.T) (raw []byte, inst any) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(manifestDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err = jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return raw, inst
}

func TestManifestValidatesAgainstTheSchema(t *testing.T) {
	sch := manifestSchema(t)
	_, inst := readManifest(t)
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("manifests/teams/manifest.json: %v", err)
	}
	// the schema is strict enough to catch what matters: a wrong version
	// or a fourth bot scope list
	bad := []struct {
		name   string
		change func(m map[string]any)
	}{
		{"ManifestVersion", func(m map[string]any) { m["manifestVersion"] = "1.16" }},
		{"UnknownScope", func(m map[string]any) {
			m["bots"].([]any)[0].(map[string]any)["scopes"] = []any{"personal", "everyone"}
		}},
		{"NoIcons", func(m map[string]any) { delete(m, "icons") }},
		{"TwoBots", func(m map[string]any) { m["bots"] = append(m["bots"].([]any), m["bots"].([]any)[0]) }},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, inst := readManifest(t)
			tc.change(inst.(map[string]any))
			if err := sch.Validate(inst); err == nil {
				t.Errorf("the schema takes a manifest with a bad %s", tc.name)
			}
		})
	}
}

// TestManifestContents checks what the schema cannot: the version, the
// bot's scopes and commands, the icons' files and sizes.
func TestManifestContents(t *testing.T) {
	raw, _ := readManifest(t)
	var m struct {
		ManifestVersion string `json:"manifestVersion"`
		ID              string `json:"id"`
		Icons           struct{ Color, Outline string }
		Bots            []struct {
			BotID        string   `json:"botId"`
			Scopes       []string `json:"scopes"`
			CommandLists []struct {
				Scopes   []string `json:"scopes"`
				Commands []struct{ Title, Description string }
			} `json:"commandLists"`
		} `json:"bots"`
		ValidDomains []string `json:"validDomains"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m.ManifestVersion != "1.24" {
		t.Errorf("manifestVersion %q, want 1.24", m.ManifestVersion)
	}
	if len(m.Bots) != 1 {
		t.Fatalf("%d bots, want 1", len(m.Bots))
	}
	bot := m.Bots[0]
	for _, s := range []string{"personal", "team", "groupChat"} {
		if !slices.Contains(bot.Scopes, s) {
			t.Errorf("bot scopes %v lack %s", bot.Scopes, s)
		}
	}
	var titles []string
	for _, l := range bot.CommandLists {
		for _, c := range l.Commands {
			titles = append(titles, c.Title)
		}
	}
	slices.Sort(titles)
	titles = slices.Compact(titles)
	if want := []string{"commission", "deal", "forecast", "pipeline"}; !slices.Equal(titles, want) {
		t.Errorf("commands %v, want %v", titles, want)
	}
	if len(m.ValidDomains) == 0 {
		t.Error("no validDomains")
	}
	for _, ic := range []struct {
		file       string
		size       int
		whiteOnly  bool
		descriptor string
	}{{m.Icons.Color, 192, false, "color"}, {m.Icons.Outline, 32, true, "outline"}} {
		f, err := os.Open(filepath.Join(manifestDir, ic.file))
		if err != nil {
			t.Fatalf("%s icon: %v", ic.descriptor, err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s icon %s is not a PNG: %v", ic.descriptor, ic.file, err)
		}
		if b := img.Bounds(); b.Dx() != ic.size || b.Dy() != ic.size {
			t.Errorf("%s icon is %dx%d, want %dx%d", ic.descriptor, b.Dx(), b.Dy(), ic.size, ic.size)
		}
		if ic.whiteOnly {
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					r, g, bl, a := img.At(x, y).RGBA()
					if a != 0 && (r != a || g != a || bl != a) {
						t.Fatalf("outline icon pixel (%d,%d) is neither white nor transparent", x, y)
					}
				}
			}
		}
	}
	if strings.Contains(string(raw), "teams:") {
		t.Error("the manifest mentions teams: (the configuration key of sales teams)")
	}
}

// TestCardValidatorOnASmallCard: the helper later card goldens go through.
func TestCardValidatorOnASmallCard(t *testing.T) {
	dir, err := teamstest.FindSharedDir()
	if err != nil {
		t.Skipf("the Adaptive Cards schema is absent (the shared folder is missing): %v", err)
	}
	cs, err := teamstest.LoadCardSchema(dir)
	if err != nil {
		t.Fatal(err)
	}
	card := []byte(`{"type":"AdaptiveCard","version":"1.5","body":[
		{"type":"TextBlock","text":"Forecast Q4","weight":"Bolder","size":"Medium"},
		{"type":"FactSet","facts":[{"title":"Commit","value":"€120,000"},{"title":"Best case","value":"€180,000"}]}],
		"actions":[{"type":"Action.Submit","title":"Open pipeline","data":{"msteams":{"type":"imBack","value":"pipeline"}}}]}`)
	if err := cs.Validate(card); err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(card, []byte(`"FactSet"`), []byte(`"FactList"`), 1)
	if err := cs.Validate(broken); err == nil {
		t.Fatal("a card with an unknown element validates")
	}
}
