package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	// Time zones are compiled in: the static binary runs in images without
	// /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/domain/forecast"
	"github.com/dealpilot/dealpilot/domain/segment"
	"github.com/dealpilot/dealpilot/i18n"
)

// DefaultPath is where the file is looked for when none is named.
const DefaultPath = "./dealpilot.yaml"

const (
	maxFileSize = 1 << 20 // a config file is a few kilobytes
	maxErrors   = 50      // more would bury the first ones
	maxStages   = 50
)

// Load reads and validates the file at path. When explicit is false the path
// is a default one and a missing file means Default(); when the user named the
// file (a flag, DEALPILOT_CONFIG), a missing file is an error. The file's
// user and channel ids are checked against ids, the rules of the transport
// the bot runs on. Validation problems are returned together as Errors.
func Load(path string, explicit bool, ids IDs) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return Default(), nil
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("config: %s is larger than %d bytes", path, maxFileSize)
	}
	return Parse(path, data, ids)
}

// Parse validates the YAML in data, its ids against ids; name is the file
// name errors give.
func Parse(name string, data []byte, ids IDs) (cfg *Config, err error) {
	d := &decoder{file: name, ids: ids}
	root, err := d.document(data)
	if err != nil {
		return nil, err
	}
	cfg = Default()
	if root != nil {
		d.noAliases(root, 0)
		if len(d.errs) == 0 {
			d.config(root, cfg)
		}
	}
	if len(d.errs) > 0 {
		slices.SortStableFunc(d.errs, func(a, b *Error) int { return a.Line - b.Line })
		return nil, d.errs
	}
	return cfg, nil
}

// Error is one problem in a configuration file.
type Error struct {
	File string
	Line int    // 1-based; 0 when the problem has no line
	Key  string // path of the key, such as deal_desk.bands[2].up_to; empty for the whole file
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Errors is every problem found in a file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// decoder walks the YAML node tree, collecting errors.
type decoder struct {
	file string
	ids  IDs
	errs Errors
}

func (d *decoder) errorf(n *yaml.Node, key, format string, args ...any) {
	if len(d.errs) >= maxErrors {
		return
	}
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// document parses data into its single document's root node; nil for an
// empty file.
func (d *decoder) document(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil { // yaml.v3 has panicked on hostile input before
			root, err = nil, Errors{{File: d.file, Msg: fmt.Sprintf("not valid YAML (%v)", r)}}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, d.yamlError(err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, d.yamlError(err)
	default:
		return nil, Errors{{File: d.file, Line: extra.Line, Msg: "a second YAML document; the file must hold one"}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

func (d *decoder) yamlError(err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Errors{{File: d.file, Line: line, Msg: "not valid YAML: " + m[2]}}
	}
	return Errors{{File: d.file, Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}}
}

// noAliases refuses anchors and aliases: they make line numbers point at the
// anchor, and a file of a few lines can expand to gigabytes.
func (d *decoder) noAliases(n *yaml.Node, depth int) {
	if depth > 100 {
		d.errorf(n, "", "nested too deeply")
		return
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.errorf(n, "", "anchors and aliases (&, *) are not supported; repeat the value")
		return
	}
	for _, c := range n.Content {
		d.noAliases(c, depth+1)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// fields checks that n is a mapping with only the allowed keys, each once,
// and returns its values by key. A null n is an empty mapping.
func (d *decoder) fields(n *yaml.Node, path string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if isNull(n) {
		return out
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "want a mapping of %s", strings.Join(allowed, ", "))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, "a key must be a plain name")
			continue
		}
		key := join(path, k.Value)
		switch {
		case !slices.Contains(allowed, k.Value):
			d.errorf(k, key, "unknown key; the keys here are %s", strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			d.errorf(k, key, "repeated key")
		default:
			out[k.Value] = v
		}
	}
	return out
}

// entry reads one item of a list of mappings; ok is false when it is not a
// mapping (an error is recorded).
func (d *decoder) entry(n *yaml.Node, path string, allowed ...string) (map[string]*yaml.Node, bool) {
	if isNull(n) {
		d.errorf(n, path, "empty entry; want a mapping of %s", strings.Join(allowed, ", "))
		return nil, false
	}
	f := d.fields(n, path, allowed...)
	return f, n.Kind == yaml.MappingNode
}

// str reads a scalar as text; ok is false (and an error recorded) for a
// list, a mapping or an empty value.
func (d *decoder) str(n *yaml.Node, path string) (string, bool) {
	switch {
	case isNull(n):
		d.errorf(n, path, "missing value")
		return "", false
	case n.Kind != yaml.ScalarNode:
		d.errorf(n, path, "want a single value, not a %s", kindName(n))
		return "", false
	}
	return n.Value, true
}

// integer reads a whole number between lo and hi.
func (d *decoder) integer(n *yaml.Node, path string, lo, hi int) (int, bool) {
	switch {
	case isNull(n):
		d.errorf(n, path, "missing value")
		return 0, false
	case n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int":
		d.errorf(n, path, "want a whole number from %d to %d, not %s", lo, hi, describe(n))
		return 0, false
	}
	var v int64
	if err := n.Decode(&v); err != nil || v < int64(lo) || v > int64(hi) {
		d.errorf(n, path, "%s is not from %d to %d", n.Value, lo, hi)
		return 0, false
	}
	return int(v), true
}

func (d *decoder) boolean(n *yaml.Node, path string) (bool, bool) {
	var v bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&v) != nil {
		d.errorf(n, path, "want true or false, not %s", describe(n))
		return false, false
	}
	return v, true
}

// list returns the items of a sequence; a null n is an empty list.
func (d *decoder) list(n *yaml.Node, path string) []*yaml.Node {
	switch {
	case isNull(n):
		return nil
	case n.Kind != yaml.SequenceNode:
		d.errorf(n, path, "want a list, not %s", describe(n))
		return nil
	}
	return n.Content
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "value"
}

func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return "a " + kindName(n)
}

var name = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func (d *decoder) user(n *yaml.Node, path string) (domain.UserID, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if !d.ids.User.ok(s) {
		d.errorf(n, path, "%q is not %s", s, d.ids.User.What)
		return "", false
	}
	return domain.UserID(s), true
}

func (d *decoder) users(n *yaml.Node, path string) []domain.UserID {
	var out []domain.UserID
	seen := map[domain.UserID]bool{}
	for i, item := range d.list(n, path) {
		p := index(path, i)
		u, ok := d.user(item, p)
		switch {
		case !ok:
		case seen[u]:
			d.errorf(item, p, "%s is listed twice", u)
		default:
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

func (d *decoder) channel(n *yaml.Node, path string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if !d.ids.Channel.ok(s) {
		d.errorf(n, path, "%q is not %s", s, d.ids.Channel.What)
		return "", false
	}
	return s, true
}

// required reports a missing key of the mapping at n.
func (d *decoder) required(f map[string]*yaml.Node, n *yaml.Node, path string, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if isNull(f[k]) {
			line := n
			if f[k] != nil {
				line = f[k]
			}
			d.errorf(line, join(path, k), "missing; it is required")
			ok = false
		}
	}
	return ok
}

var topKeys = []string{"currency", "locale", "timezone", "fiscal_year_start", "admins", "teams", "deal_desk",
	"schedules", "stages", "quotas", "loss_reasons", "nudges", "visibility", "msteams", "import", "segments", "icp",
	"commissions"}

func (d *decoder) config(root *yaml.Node, cfg *Config) {
	f := d.fields(root, "", topKeys...)
	if n := f["currency"]; n != nil {
		if s, ok := d.str(n, "currency"); ok {
			if _, known := domain.LookupCurrency(s); !known {
				d.errorf(n, "currency", "%q is not an ISO 4217 currency code dealpilot knows; write three capitals such as EUR, USD, GBP or CHF", s)
			} else {
				cfg.Currency = s
			}
		}
	}
	if n := f["locale"]; n != nil {
		if s, ok := d.str(n, "locale"); ok {
			switch i18n.Locale(s) {
			case i18n.EN, i18n.FR:
				cfg.Locale = i18n.Locale(s)
			default:
				d.errorf(n, "locale", "%q is not a supported locale; use en or fr", s)
			}
		}
	}
	if n := f["timezone"]; n != nil {
		if s, ok := d.str(n, "timezone"); ok {
			loc, err := time.LoadLocation(s)
			if err != nil || s == "" || s == "Local" {
				d.errorf(n, "timezone", "%q is not a time zone; use an IANA name such as Europe/Paris or UTC", s)
			} else {
				cfg.Location = loc
			}
		}
	}
	if n := f["fiscal_year_start"]; n != nil {
		if m, ok := d.integer(n, "fiscal_year_start", 1, 12); ok {
			cfg.FiscalYearStart = time.Month(m)
		}
	}
	if n := f["admins"]; n != nil {
		cfg.Admins = d.users(n, "admins")
	}
	if n := f["teams"]; n != nil {
		cfg.Teams = d.teams(n, "teams")
	}
	if n := f["deal_desk"]; n != nil {
		d.dealDesk(n, "deal_desk", &cfg.DealDesk)
	}
	if n := f["schedules"]; n != nil {
		d.schedules(n, "schedules", &cfg.Schedules)
	}
	if n := f["stages"]; n != nil {
		if st, ok := d.stages(n, "stages"); ok {
			cfg.Stages = st
		}
	}
	if n := f["quotas"]; n != nil {
		cfg.Quotas = d.quotas(n, "quotas", cfg)
	}
	if n := f["commissions"]; n != nil {
		cfg.Commissions = d.commissions(n, "commissions", cfg) // after teams: plans name their people
		cfg.commissionsYAML = sectionYAML(n)
	}
	if n := f["loss_reasons"]; n != nil {
		if rs, ok := d.lossReasons(n, "loss_reasons"); ok {
			cfg.LossReasons = rs
		}
	}
	if n := f["nudges"]; n != nil {
		d.nudges(n, "nudges", &cfg.Nudges)
	}
	if n := f["msteams"]; n != nil {
		d.msTeams(n, "msteams", &cfg.MSTeams)
	}
	if n := f["import"]; n != nil {
		d.importSection(n, "import", cfg) // after stages: its stages name theirs
	}
	if n := f["segments"]; n != nil {
		cfg.Segments = d.segments(n, "segments")
	}
	if n := f["import"]; n != nil {
		d.importAttributes(n, "import", cfg) // after segments: it names theirs
	}
	if n := f["icp"]; n != nil {
		cfg.ICP = d.icp(n, "icp", cfg.Segments, f["segments"] != nil, &cfg.Evidence) // after segments: it names theirs
	}
	if n := f["visibility"]; n != nil {
		if s, ok := d.str(n, "visibility"); ok {
			switch v := domain.Visibility(s); v {
			case domain.VisibilityTeam, domain.VisibilityCompany:
				cfg.Visibility = v
			default:
				d.errorf(n, "visibility", "%q is not a visibility; use team (each team reads its own deals and numbers) or company (every configured user reads everyone's)", s)
			}
		}
	}
}

func (d *decoder) teams(n *yaml.Node, path string) []Team {
	var teams []Team
	names := map[string]bool{}
	type membership struct {
		index int
		team  string
	}
	memberOf := map[domain.UserID]membership{}
	type sellsNode struct {
		n    *yaml.Node
		path string
	}
	var sellsAt []sellsNode // by index in teams
	for i, item := range d.list(n, path) {
		p := index(path, i)
		f, ok := d.entry(item, p, "name", "manager", "members", "channel", "wins_channel", "manager_sells")
		if !ok {
			continue
		}
		var t Team
		d.required(f, item, p, "name", "manager", "members", "channel")
		if f["name"] != nil {
			if s, ok := d.str(f["name"], join(p, "name")); ok {
				key := strings.ToLower(strings.TrimSpace(s))
				switch {
				case key == "":
					d.errorf(f["name"], join(p, "name"), "a team needs a name")
				case names[key]:
					d.errorf(f["name"], join(p, "name"), "team %q is listed twice", s)
				}
				names[key] = true
				t.Name = s
			}
		}
		if !isNull(f["manager"]) {
			t.Manager, _ = d.user(f["manager"], join(p, "manager"))
		}
		if !isNull(f["members"]) {
			mp := join(p, "members")
			t.Members = d.users(f["members"], mp)
			if f["members"].Kind == yaml.SequenceNode && len(f["members"].Content) == 0 {
				d.errorf(f["members"], mp, "a team needs at least one member")
			}
			for j, m := range f["members"].Content {
				u := domain.UserID(m.Value)
				if m.Kind != yaml.ScalarNode || !slices.Contains(t.Members, u) {
					continue
				}
				if other, ok := memberOf[u]; ok && other.index != i {
					d.errorf(m, index(mp, j), "%s is already a member of team %q; a rep belongs to one team", u, other.team)
					continue
				}
				memberOf[u] = membership{i, t.Name}
			}
		}
		if !isNull(f["channel"]) {
			t.Channel, _ = d.channel(f["channel"], join(p, "channel"))
		}
		t.WinsChannel = t.Channel
		if !isNull(f["wins_channel"]) {
			if c, ok := d.channel(f["wins_channel"], join(p, "wins_channel")); ok {
				t.WinsChannel = c
			}
		}
		if !isNull(f["manager_sells"]) {
			t.ManagerSells, _ = d.boolean(f["manager_sells"], join(p, "manager_sells"))
		}
		teams = append(teams, t)
		sellsAt = append(sellsAt, sellsNode{f["manager_sells"], join(p, "manager_sells")})
	}
	// A selling manager's deals count in one team only.
	sells := map[domain.UserID]string{}
	for i, t := range teams {
		if !t.ManagerSells || t.Manager == "" {
			continue
		}
		at := sellsAt[i]
		if other, ok := memberOf[t.Manager]; ok && !strings.EqualFold(other.team, t.Name) {
			d.errorf(at.n, at.path, "%s is a member of team %q, so their deals count there; manager_sells would count them in %q too", t.Manager, other.team, t.Name)
		} else if other, ok := sells[t.Manager]; ok {
			d.errorf(at.n, at.path, "%s's deals already count in team %q (manager_sells); they can count in one team only", t.Manager, other)
		}
		sells[t.Manager] = t.Name
	}
	return teams
}

func (d *decoder) dealDesk(n *yaml.Node, path string, dd *DealDesk) {
	f := d.fields(n, path, "channel", "roles", "bands", "expire_after_days", "non_standard_terms", "require_plan_above")
	if !isNull(f["channel"]) {
		dd.Channel, _ = d.channel(f["channel"], join(path, "channel"))
	}
	if rn := f["roles"]; rn != nil {
		rp := join(path, "roles")
		roles := map[string][]domain.UserID{}
		if rn.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(rn.Content); i += 2 {
				k, v := rn.Content[i], rn.Content[i+1]
				p := join(rp, k.Value)
				switch _, dup := roles[k.Value]; {
				case k.Kind != yaml.ScalarNode || !name.MatchString(k.Value):
					d.errorf(k, p, "a role name is lower case letters, digits and _, such as vp or finance")
				case k.Value == RoleManager:
					d.errorf(k, p, "manager is built in: it is each rep's team manager")
				case dup:
					d.errorf(k, p, "repeated key")
				default:
					roles[k.Value] = d.users(v, p)
					if isNull(v) || v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
						d.errorf(v, p, "role %s needs at least one user", k.Value)
					}
				}
			}
		} else if !isNull(rn) {
			d.errorf(rn, rp, "want a mapping of role names to lists of users, such as { vp: [U0VP] }")
		}
		dd.Roles = roles
	}
	roleNames := func() string {
		names := []string{RoleManager}
		for r := range dd.Roles {
			names = append(names, r)
		}
		slices.Sort(names[1:])
		return strings.Join(names, ", ")
	}
	approvals := func(n *yaml.Node, path string) []string {
		out := []string{}
		for i, item := range d.list(n, path) {
			p := index(path, i)
			r, ok := d.str(item, p)
			if !ok {
				continue
			}
			_, known := dd.Roles[r]
			switch {
			case r != RoleManager && !known:
				d.errorf(item, p, "unknown role %q; the roles are %s (define others under deal_desk.roles)", r, roleNames())
			case slices.Contains(out, r):
				d.errorf(item, p, "role %s is listed twice", r)
			default:
				out = append(out, r)
			}
		}
		return out
	}
	if bn := f["bands"]; bn != nil {
		bp := join(path, "bands")
		items := d.list(bn, bp)
		if len(items) == 0 && bn.Kind == yaml.SequenceNode {
			d.errorf(bn, bp, "at least one band is needed, and the last goes up to 100")
		}
		var bands []Band
		prev := 0
		var last *yaml.Node
		for i, item := range items {
			p := index(bp, i)
			bf, ok := d.entry(item, p, "up_to", "approvals")
			if !ok {
				continue
			}
			if !d.required(bf, item, p, "up_to") {
				continue
			}
			up, ok := d.integer(bf["up_to"], join(p, "up_to"), 1, 100)
			if !ok {
				continue
			}
			if up <= prev {
				d.errorf(bf["up_to"], join(p, "up_to"), "bands overlap: %d is not above the previous band's %d", up, prev)
			}
			prev, last = up, bf["up_to"]
			bands = append(bands, Band{UpTo: up, Approvals: approvals(bf["approvals"], join(p, "approvals"))})
		}
		if last != nil && prev != 100 {
			d.errorf(last, join(index(bp, len(items)-1), "up_to"), "the last band must go up to 100, so that every discount has a band")
		}
		if len(bands) > 0 {
			dd.Bands = bands
		}
	}
	if n := f["expire_after_days"]; n != nil {
		if v, ok := d.integer(n, join(path, "expire_after_days"), 1, 365); ok {
			dd.ExpireAfterDays = v
		}
	}
	dd.NonStandardTerms = termsFor(dd.Roles)
	if tn := f["non_standard_terms"]; tn != nil {
		tp := join(path, "non_standard_terms")
		known := make([]string, len(defaultTerms))
		for i, t := range defaultTerms {
			known[i] = t.term
		}
		seen := map[string]bool{}
		if tn.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(tn.Content); i += 2 {
				k, v := tn.Content[i], tn.Content[i+1]
				p := join(tp, k.Value)
				switch {
				case k.Kind != yaml.ScalarNode || !slices.Contains(known, k.Value):
					d.errorf(k, p, "unknown term; the terms are %s", strings.Join(known, ", "))
				case seen[k.Value]:
					d.errorf(k, p, "repeated key")
				case isNull(v):
					d.errorf(v, p, "missing value; list the approving roles, or [] for none")
				default:
					seen[k.Value] = true
					dd.NonStandardTerms[k.Value] = approvals(v, p)
				}
			}
		} else if !isNull(tn) {
			d.errorf(tn, tp, "want a mapping of terms to approving roles, such as { payment_terms: [finance] }")
		}
	}
	if n := f["require_plan_above"]; n != nil {
		if v, ok := d.integer(n, join(path, "require_plan_above"), 0, 100); ok {
			dd.RequirePlanAbove = v
		}
	}
}

var hhmm = regexp.MustCompile(`^([0-9]{1,2}):([0-9]{2})$`)

func (d *decoder) schedules(n *yaml.Node, path string, s *Schedules) {
	f := d.fields(n, path, "digest", "reminders_at")
	if n := f["digest"]; n != nil {
		p := join(path, "digest")
		if spec, ok := d.str(n, p); ok {
			if msg := checkCron(spec); msg != "" {
				d.errorf(n, p, "%q is not a usable schedule: %s", spec, msg)
			} else {
				s.Digest = spec
			}
		}
	}
	if n := f["reminders_at"]; n != nil {
		p := join(path, "reminders_at")
		if v, ok := d.str(n, p); ok {
			m := hhmm.FindStringSubmatch(v)
			var h, min int
			if m != nil {
				h, _ = strconv.Atoi(m[1])
				min, _ = strconv.Atoi(m[2])
			}
			if m == nil || h > 23 || min > 59 {
				d.errorf(n, p, "%q is not a time of day; write HH:MM, such as \"09:00\"", v)
			} else {
				s.RemindersAt = TimeOfDay{Hour: h, Minute: min}
			}
		}
	}
}

// checkCron validates a digest schedule with cron's standard parser
// (five fields, or a descriptor such as @weekly) and returns what is wrong.
func checkCron(spec string) (msg string) {
	spec = strings.TrimSpace(spec)
	switch {
	case strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ="):
		return "schedules run in the timezone key's zone; remove the TZ= prefix"
	case strings.HasPrefix(spec, "@every"):
		return "use a calendar schedule such as \"0 8 * * MON\" or @weekly, not @every"
	}
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return err.Error()
	}
	if sched.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
		return "it never runs"
	}
	return ""
}

func (d *decoder) stages(n *yaml.Node, path string) (domain.Stages, bool) {
	items := d.list(n, path)
	if n.Kind != yaml.SequenceNode {
		return nil, false
	}
	if len(items) > maxStages {
		d.errorf(n, path, "%d stages is too many; keep it under %d", len(items), maxStages)
		return nil, false
	}
	before := len(d.errs)
	var stages domain.Stages
	type lines struct{ stage, name, prob, cat *yaml.Node }
	var at []lines
	var requires [][]*yaml.Node
	for i, item := range items {
		p := index(path, i)
		f, ok := d.entry(item, p, "name", "probability", "category", "requires")
		if !ok {
			continue
		}
		if !d.required(f, item, p, "name", "probability", "category") {
			continue
		}
		var st domain.StageDef
		st.Name, _ = d.str(f["name"], join(p, "name"))
		st.Probability, _ = d.integer(f["probability"], join(p, "probability"), -1<<31, 1<<31-1)
		if c, ok := d.str(f["category"], join(p, "category")); ok {
			st.Category = domain.Category(c)
			if parsed, ok := domain.ParseCategory(c); ok {
				st.Category = parsed
			}
		}
		reqs := d.list(f["requires"], join(p, "requires"))
		for j, r := range reqs {
			if s, ok := d.str(r, index(join(p, "requires"), j)); ok {
				st.Requires = append(st.Requires, domain.Field(s))
			}
		}
		stages = append(stages, st)
		at = append(at, lines{item, f["name"], f["probability"], f["category"]})
		requires = append(requires, reqs)
	}
	if len(d.errs) > before {
		return nil, false
	}
	if len(stages) == 0 {
		if err := stages.Validate(); err != nil {
			d.errorf(n, path, "%s", i18n.ErrorMessage(i18n.EN, err))
		}
		return nil, false
	}
	// The rules are domain.Stages.Validate's; validating each stage alone,
	// then each prefix of the list for duplicates, puts each error on its line.
	for i, st := range stages {
		p := index(path, i)
		var es domain.Errors
		errors.As(domain.Stages{st}.Validate(), &es)
		for _, e := range es {
			switch e.Key {
			case "stages.bad_probability":
				d.errorf(at[i].prob, join(p, "probability"), "%s", i18n.Message(i18n.EN, e))
			case "stages.bad_category":
				d.errorf(at[i].cat, join(p, "category"), "%s", i18n.Message(i18n.EN, e))
			case "stages.bad_field":
				node, key := at[i].stage, join(p, "requires")
				for j, r := range requires[i] {
					if len(e.Args) > 1 && r.Value == fmt.Sprint(e.Args[1]) {
						node, key = r, index(key, j)
						break
					}
				}
				d.errorf(node, key, "%s", i18n.Message(i18n.EN, e))
			default:
				d.errorf(at[i].name, join(p, "name"), "%s", i18n.Message(i18n.EN, e))
			}
		}
		if i == 0 {
			continue
		}
		before, after := keyed(stages[:i].Validate(), "stages.duplicate"), keyed(stages[:i+1].Validate(), "stages.duplicate")
		if len(after) > len(before) {
			d.errorf(at[i].name, join(p, "name"), "%s", i18n.Message(i18n.EN, after[len(after)-1]))
		}
	}
	return stages, len(d.errs) == before
}

// keyed returns the errors of err with the given catalogue key.
func keyed(err error, key string) []*domain.Error {
	var es domain.Errors
	errors.As(err, &es)
	var out []*domain.Error
	for _, e := range es {
		if e.Key == key {
			out = append(out, e)
		}
	}
	return out
}

func (d *decoder) quotas(n *yaml.Node, path string, cfg *Config) []Quota {
	var out []Quota
	exp := domain.CurrencyOf(cfg.Currency).Exponent
	scale := int64(1)
	for range exp {
		scale *= 10
	}
	cal := forecast.Calendar{FiscalYearStart: cfg.FiscalYearStart, Location: cfg.Location}
	seen := map[Quota]bool{}
	for i, item := range d.list(n, path) {
		p := index(path, i)
		f, ok := d.entry(item, p, "user", "team", "period", "amount")
		if !ok || !d.required(f, item, p, "period", "amount") {
			continue
		}
		q := Quota{}
		q.User, q.Team = d.whose(cfg, item, f, p, "quota", "a whole team")
		if period, ok := d.str(f["period"], join(p, "period")); ok {
			switch period {
			case PeriodMonth, PeriodQuarter, PeriodYear:
				q.Period = period
			default:
				// A named period: a month (2026-11), a fiscal quarter
				// (2026-Q4) or a fiscal year (FY2026), by fiscal_year_start.
				if named, err := cal.ParsePeriod(period); err == nil {
					q.Period = named.Name
				} else {
					d.errorf(f["period"], join(p, "period"), "%q is not a period; use month, quarter or year for every period of that kind, or name one such as 2026-Q4, 2026-11 or FY2026", period)
				}
			}
		}
		if v, ok := d.integer(f["amount"], join(p, "amount"), 1, int(domain.MaxAmountMinor/scale)); ok {
			q.Amount = int64(v) * scale
		}
		key := Quota{User: q.User, Team: q.Team, Period: q.Period}
		whose := string(q.User)
		if q.Team != "" {
			whose = "team " + q.Team
		}
		if whose != "" && q.Period != "" && seen[key] {
			d.errorf(item, p, "%s already has a %s quota", whose, q.Period)
		}
		seen[key] = true
		out = append(out, q)
	}
	return out
}

func (d *decoder) lossReasons(n *yaml.Node, path string) ([]string, bool) {
	items := d.list(n, path)
	if n.Kind != yaml.SequenceNode {
		return nil, false
	}
	if len(items) == 0 {
		d.errorf(n, path, "list at least one reason, or remove the key for the defaults")
		return nil, false
	}
	var out []string
	seen := map[string]bool{}
	for i, item := range items {
		p := index(path, i)
		s, ok := d.str(item, p)
		if !ok {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(s))
		switch {
		case key == "":
			d.errorf(item, p, "a loss reason cannot be blank")
		case seen[key]:
			d.errorf(item, p, "%q is listed twice", s)
		default:
			seen[key] = true
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out, len(out) == len(items)
}

func (d *decoder) nudges(n *yaml.Node, path string, nu *Nudges) {
	f := d.fields(n, path, "weekends", "stalled_min_days", "hollow_win_discount")
	if n := f["weekends"]; n != nil {
		if v, ok := d.boolean(n, join(path, "weekends")); ok {
			nu.Weekends = v
		}
	}
	if n := f["stalled_min_days"]; n != nil {
		if v, ok := d.integer(n, join(path, "stalled_min_days"), 1, 365); ok {
			nu.StalledMinDays = v
		}
	}
	if n := f["hollow_win_discount"]; n != nil {
		if v, ok := d.integer(n, join(path, "hollow_win_discount"), 0, 100); ok {
			nu.HollowWinDiscount = v
		}
	}
}

// msTeams reads the Teams platform's own settings.
func (d *decoder) msTeams(n *yaml.Node, path string, m *MSTeams) {
	f := d.fields(n, path, "service_url")
	if n := f["service_url"]; n != nil {
		key := join(path, "service_url")
		if s, ok := d.str(n, key); ok {
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
				d.errorf(n, key, "%q is not a Bot Framework service URL; write the https URL Teams sends as serviceUrl, such as https://smba.trafficmanager.net/emea/", s)
			} else {
				m.ServiceURL = s
			}
		}
	}
}

// importSection reads import:, how `dealpilot import` maps a CRM file:
//
//	import:
//	  stages:
//	    - crm: Contract sent      # the stage as the file writes it
//	      stage: Negotiation      # a stage of stages:
//	      category: commit        # optional: the stage's own otherwise
//	    - crm: Lost - no budget
//	      status: lost            # open (default), won or lost
//	  owners:
//	    lea@example.com: U01LEA   # an email, a name or a CRM user id -> a user
//	  attributes:                 # read by importAttributes, after segments:
//	    industry: Industry        # an attribute of segments: -> its column's header
func (d *decoder) importSection(n *yaml.Node, path string, cfg *Config) {
	f := d.fields(n, path, "stages", "owners", "attributes")
	if sn := f["stages"]; sn != nil {
		seen := map[string]bool{}
		for i, item := range d.list(sn, join(path, "stages")) {
			p := index(join(path, "stages"), i)
			e, ok := d.entry(item, p, "crm", "stage", "category", "status")
			if !ok || !d.required(e, item, p, "crm") {
				continue
			}
			crm, ok := d.str(e["crm"], join(p, "crm"))
			if !ok {
				continue
			}
			key := ImportOwnerKey(crm)
			if key == "" {
				d.errorf(e["crm"], join(p, "crm"), "a CRM stage cannot be blank")
				continue
			}
			if seen[key] {
				d.errorf(e["crm"], join(p, "crm"), "%q is mapped twice", crm)
				continue
			}
			seen[key] = true
			st := ImportStage{CRM: strings.TrimSpace(crm), Status: domain.Open}
			good := true
			if sn := e["status"]; sn != nil {
				if s, ok := d.str(sn, join(p, "status")); ok {
					switch v := domain.Status(s); v {
					case domain.Open, domain.Won, domain.Lost:
						st.Status = v
					default:
						d.errorf(sn, join(p, "status"), "%q is not a status; use open, won or lost", s)
						good = false
					}
				} else {
					good = false
				}
			}
			if sn := e["stage"]; sn != nil {
				if s, ok := d.str(sn, join(p, "stage")); ok {
					if i := cfg.Stages.Index(s); i < 0 {
						d.errorf(sn, join(p, "stage"), "%q is not one of the stages (%s)", s, stageNames(cfg.Stages))
						good = false
					} else {
						st.Stage = cfg.Stages[i].Name
					}
				} else {
					good = false
				}
			} else if st.Status != domain.Lost {
				d.errorf(item, p, "stage is required (a lost deal may go without: it keeps the stage it was lost at)")
				good = false
			}
			if cn := e["category"]; cn != nil {
				if s, ok := d.str(cn, join(p, "category")); ok {
					if c, ok := domain.ParseCategory(s); ok {
						st.Category = c
					} else {
						d.errorf(cn, join(p, "category"), "%q is not a forecast category; use commit, best_case, upside, pipeline or omitted", s)
						good = false
					}
				} else {
					good = false
				}
			}
			if good {
				cfg.Import.Stages = append(cfg.Import.Stages, st)
			}
		}
	}
	if on := f["owners"]; on != nil {
		op := join(path, "owners")
		if !isNull(on) && on.Kind != yaml.MappingNode {
			d.errorf(on, op, "want a mapping of a CRM owner (email, name or id) to a user")
			return
		}
		cfg.Import.Owners = map[string]domain.UserID{}
		if isNull(on) {
			return
		}
		for i := 0; i+1 < len(on.Content); i += 2 {
			k, v := on.Content[i], on.Content[i+1]
			kp := join(op, k.Value)
			key := ImportOwnerKey(k.Value)
			if k.Kind != yaml.ScalarNode || key == "" {
				d.errorf(k, op, "an owner must be an email, a name or a CRM user id")
				continue
			}
			if _, dup := cfg.Import.Owners[key]; dup {
				d.errorf(k, kp, "%q is mapped twice", k.Value)
				continue
			}
			if u, ok := d.user(v, kp); ok {
				cfg.Import.Owners[key] = u
			}
		}
	}
}

// importAttributes reads import: attributes:, each a segment attribute and
// the header of the column holding it; the keys were checked by
// importSection.
func (d *decoder) importAttributes(n *yaml.Node, path string, cfg *Config) {
	if n.Kind != yaml.MappingNode {
		return
	}
	var an *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "attributes" {
			an = n.Content[i+1]
		}
	}
	ap := join(path, "attributes")
	if an == nil || isNull(an) {
		return
	}
	if an.Kind != yaml.MappingNode {
		d.errorf(an, ap, "want a mapping of a segment attribute to the header of its column")
		return
	}
	seen := map[string]bool{}
	headers := map[string]bool{}
	for i := 0; i+1 < len(an.Content); i += 2 {
		k, v := an.Content[i], an.Content[i+1]
		kp := join(ap, k.Value)
		a, ok := cfg.Segments.Attr(k.Value)
		if !ok {
			d.errorf(k, ap, "%q is not an attribute of segments: (%s)", k.Value, strings.Join(cfg.Segments.Names(), ", "))
			continue
		}
		if seen[a.Name] {
			d.errorf(k, kp, "%q is mapped twice", k.Value)
			continue
		}
		seen[a.Name] = true
		h, ok := d.str(v, kp)
		if !ok {
			continue
		}
		if ImportOwnerKey(h) == "" {
			d.errorf(v, kp, "the header of %s's column cannot be blank", a.Name)
			continue
		}
		if headers[ImportOwnerKey(h)] {
			d.errorf(v, kp, "header %q is already another attribute's", h)
			continue
		}
		headers[ImportOwnerKey(h)] = true
		cfg.Import.Attributes = append(cfg.Import.Attributes, ImportAttribute{Name: a.Name, Header: strings.TrimSpace(h)})
	}
}

func stageNames(st domain.Stages) string {
	names := make([]string, len(st))
	for i, s := range st {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// Limits of segments:. A form shows one select per attribute, and a select
// (Slack's static_select, an Adaptive Card's Input.ChoiceSet) is kept
// readable; Slack cuts an option's text at 75 characters.
const (
	maxSegments      = 10
	maxSegmentValues = 50
	maxValueLen      = 75
)

// The evidence keys of icp: (segment.Thresholds), never attribute names.
// min_deals is at most maxMinDeals: a team closes no more in a quarter
// for a value that would ever make a proposal.
const (
	evidenceMinDeals = "min_deals"
	evidenceStopPct  = "stop_pct"
	maxMinDeals      = 1000
)

// segments reads segments:, the attributes a deal may carry:
//
//	segments:
//	  - name: industry            # lower case, digits, _ ; used in /deal set D-12 industry retail
//	    values: [retail, software, manufacturing]
func (d *decoder) segments(n *yaml.Node, path string) segment.Schema {
	items := d.list(n, path)
	if len(items) > maxSegments {
		d.errorf(n, path, "at most %d attributes; keep the few a manager cuts the numbers by", maxSegments)
		return nil
	}
	var out segment.Schema
	seen := map[string]bool{}
	for i, item := range items {
		p := index(path, i)
		e, ok := d.entry(item, p, "name", "values")
		if !ok || !d.required(e, item, p, "name", "values") {
			continue
		}
		name, ok := d.str(e["name"], join(p, "name"))
		if !ok {
			continue
		}
		switch {
		case !domain.ValidAttrName(name):
			d.errorf(e["name"], join(p, "name"), "%q is not an attribute name; write lower case letters, digits and _, starting with a letter, at most 40 (size_band, lead_source)", name)
			continue
		case seen[name]:
			d.errorf(e["name"], join(p, "name"), "%q is listed twice", name)
			continue
		case name == evidenceMinDeals || name == evidenceStopPct:
			d.errorf(e["name"], join(p, "name"), "%q is a setting of icp:, not a name for an attribute; choose another", name)
			continue
		}
		seen[name] = true
		vp := join(p, "values")
		vals := d.list(e["values"], vp)
		if e["values"].Kind != yaml.SequenceNode {
			continue
		}
		if len(vals) == 0 || len(vals) > maxSegmentValues {
			d.errorf(e["values"], vp, "list 1 to %d values", maxSegmentValues)
			continue
		}
		a := segment.Attribute{Name: name}
		keys := map[string]bool{}
		good := true
		for j, vn := range vals {
			jp := index(vp, j)
			v, ok := d.str(vn, jp)
			if !ok {
				good = false
				continue
			}
			v = strings.Join(strings.Fields(v), " ")
			switch k := segment.Key(v); {
			case k == "":
				d.errorf(vn, jp, "a value cannot be blank")
			case len([]rune(v)) > maxValueLen:
				d.errorf(vn, jp, "%q is longer than %d characters", v, maxValueLen)
			case keys[k]:
				d.errorf(vn, jp, "%q is listed twice", v)
			default:
				keys[k] = true
				a.Values = append(a.Values, v)
				continue
			}
			good = false
		}
		if good {
			out = append(out, a)
		}
	}
	return out
}

// icp reads icp:, the values of segments: that fit the ideal customer
// profile; hadSegments says whether segments: was written (an icp: without
// it is refused, naming what to add):
//
//	icp:
//	  industry: [retail, software]
//	  size_band: [51-200, 201-1000]
//	  min_deals: 5                # the evidence (th), optional: closed deals a value needs
//	  stop_pct: 50                # an ICP value stopped winning at ≤ 50 % of its win rate before
//
// min_deals and stop_pct are never attributes (segments: refuses the names).
func (d *decoder) icp(n *yaml.Node, path string, schema segment.Schema, hadSegments bool, th *segment.Thresholds) segment.ICP {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "want a mapping of an attribute of segments: to the values that fit, such as industry: [retail, software]")
		return nil
	}
	if !hadSegments {
		d.errorf(n, path, "icp: names attributes of segments:, and there is none; add segments: with their values first")
		return nil
	}
	var out segment.ICP
	evidence := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kp := join(path, k.Value)
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, "a key must be an attribute of segments:")
			continue
		}
		if k.Value == evidenceMinDeals || k.Value == evidenceStopPct {
			if evidence[k.Value] {
				d.errorf(k, kp, "repeated key")
				continue
			}
			evidence[k.Value] = true
		}
		switch k.Value {
		case evidenceMinDeals:
			if v, ok := d.integer(v, kp, 1, maxMinDeals); ok {
				th.MinDeals = v
			}
			continue
		case evidenceStopPct:
			if v, ok := d.integer(v, kp, 0, 99); ok {
				th.StopPct = v
			}
			continue
		}
		a, ok := schema.Attr(k.Value)
		if !ok || a.Name != k.Value {
			d.errorf(k, kp, "%q is not an attribute of segments: (%s), nor %s or %s", k.Value, strings.Join(schema.Names(), ", "), evidenceMinDeals, evidenceStopPct)
			continue
		}
		if _, dup := out.Attr(a.Name); dup {
			d.errorf(k, kp, "repeated key")
			continue
		}
		vals := d.list(v, kp)
		if v.Kind != yaml.SequenceNode {
			continue
		}
		if len(vals) == 0 {
			d.errorf(v, kp, "list at least one value that fits, or remove %s", a.Name)
			continue
		}
		ia := segment.ICPAttr{Name: a.Name, Line: k.Line}
		good := true
		for j, vn := range vals {
			jp := index(kp, j)
			s, ok := d.str(vn, jp)
			if !ok {
				good = false
				continue
			}
			val, ok := a.Value(s)
			switch {
			case !ok:
				d.errorf(vn, jp, "%q is not a value of %s (%s)", s, a.Name, strings.Join(a.Values, ", "))
				good = false
			case slices.Contains(ia.Values, val):
				d.errorf(vn, jp, "%q is listed twice", s)
				good = false
			default:
				ia.Values = append(ia.Values, val)
			}
		}
		if good {
			out = append(out, ia)
		}
	}
	return out
}

// whose reads the user: or team: of a quota or commission plan entry at
// path p (exactly one of them: a user in a team, or a configured team,
// named as configured); what is "quota" or "plan" and teamHint what team:
// means, for the messages. Both are empty when it does not read.
func (d *decoder) whose(cfg *Config, item *yaml.Node, f map[string]*yaml.Node, p, what, teamHint string) (user domain.UserID, team string) {
	switch {
	case f["user"] != nil && f["team"] != nil:
		d.errorf(f["team"], join(p, "team"), "a %s is for a user or a team, not both; write one entry for each", what)
	case f["user"] == nil && f["team"] == nil:
		d.errorf(item, p, "say whose %s it is with user: (a rep) or team: (%s)", what, teamHint)
	case f["user"] != nil:
		u, ok := d.user(f["user"], join(p, "user"))
		if !ok {
			return "", ""
		}
		if _, member := cfg.TeamOf(u); !member && len(cfg.TeamsManagedBy(u)) == 0 {
			d.errorf(f["user"], join(p, "user"), "%s is in no team; add them to a team's members first", u)
		}
		return u, ""
	default:
		if s, ok := d.str(f["team"], join(p, "team")); ok {
			for _, t := range cfg.Teams {
				if strings.EqualFold(strings.TrimSpace(t.Name), strings.TrimSpace(s)) {
					team = t.Name
				}
			}
			if team == "" {
				d.errorf(f["team"], join(p, "team"), "there is no team %q under teams", s)
			}
		}
	}
	return "", team
}
