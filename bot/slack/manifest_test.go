package slack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/dealpilot/dealpilot/bot"
	"github.com/dealpilot/dealpilot/bot/config"
)

const manifestPath = "../../manifests/slack-app.yaml"

type manifest struct {
	Features struct {
		SlashCommands []struct {
			Command     string `yaml:"command"`
			Description string `yaml:"description"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuth struct {
		Scopes struct {
			Bot []string `yaml:"bot"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
}

func readManifest(t *testing.T) (manifest, any) {
	t.Helper()
	raw, err := os.ReadFile(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var generic any
	if err := yaml.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	return m, generic
}

// TestManifestMatchesRoutes fails when a slash command is routed but not
// declared in the manifest (Slack would never send it), or declared but not
// routed (users would get no answer).
func TestManifestMatchesRoutes(t *testing.T) {
	m, _ := readManifest(t)
	var declared []string
	for _, c := range m.Features.SlashCommands {
		declared = append(declared, c.Command)
		if len(c.Command) > 32 || c.Description == "" {
			t.Errorf("%s: a slash command needs ≤ 32 characters and a description", c.Command)
		}
	}
	b := bot.New(bot.Options{Config: config.Default()})
	var routed []string
	for name := range b.Commands() {
		routed = append(routed, name)
	}
	slices.Sort(declared)
	slices.Sort(routed)
	if !slices.Equal(declared, routed) {
		t.Errorf("manifest declares %v but the bot routes %v", declared, routed)
	}
}

// TestManifestSchema validates the manifest against Slack's published JSON
// schema, kept in ../shared/slack/ (never copied into the project).
func TestManifestSchema(t *testing.T) {
	sch := slackManifestSchema(t)
	_, doc := readManifest(t)
	if err := validateDoc(t, sch, doc); err != nil {
		t.Errorf("manifests/slack-app.yaml does not satisfy Slack's schema:\n%v", err)
	}
	// The check has teeth: a manifest Slack would refuse fails it.
	bad := map[string]any{"display_information": map[string]any{"name": strings.Repeat("x", 36)}, "nonsense": true}
	if err := validateDoc(t, sch, bad); err == nil {
		t.Error("a manifest with a 36-character name and an unknown key passed the schema")
	}
}

// slackManifestSchema compiles Slack's published JSON schema, kept in
// ../shared/slack/ (never copied into the project).
func slackManifestSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	schemaPath, _ := filepath.Abs("../../../shared/slack/manifest.schema.1.0.0.json")
	if _, err := os.Stat(schemaPath); err != nil {
		t.Skipf("Slack's manifest schema is not at %s (the shared folder is absent): %v", schemaPath, err)
	}
	c := jsonschema.NewCompiler()
	// Slack's schema uses ECMAScript patterns (lookaheads) that Go's regexp
	// cannot compile; regexp2 reads them as Slack means them.
	c.UseRegexpEngine(func(s string) (jsonschema.Regexp, error) {
		re, err := regexp2.Compile(s, regexp2.ECMAScript)
		if err != nil {
			return nil, err
		}
		return ecmaRegexp{re}, nil
	})
	sch, err := c.Compile(schemaPath)
	if err != nil {
		t.Fatalf("compiling Slack's schema: %v", err)
	}
	return sch
}

func validateDoc(t *testing.T, sch *jsonschema.Schema, doc any) error {
	t.Helper()
	// Round-trip through JSON so YAML's types become JSON's.
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytesReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

type ecmaRegexp struct{ re *regexp2.Regexp }

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func (r ecmaRegexp) String() string { return r.re.String() }
