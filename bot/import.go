package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dealpilot/dealpilot/bot/config"
	"github.com/dealpilot/dealpilot/crm"
	"github.com/dealpilot/dealpilot/domain"
	"github.com/dealpilot/dealpilot/i18n"
)

// An admin or a team's manager sends the bot a CRM export (CSV or XLSX) in
// a direct message: the bot downloads it to a temporary file (crm reads it
// more than once), answers with the dry run's summary and two buttons,
// Import and Cancel, and on Import writes it, updating one progress
// message as it goes, then the result.
//
// Between the dry run and the click, the plan is the file itself, kept in
// a temporary file and remembered in memory for ImportOptions.Keep (an
// hour): Import plans it again against the deals as they are then (another
// import, or an edit, in between is seen, never overwritten blindly). A
// restart of the bot forgets it: a click then answers that the import has
// expired and to send the file again, and writes nothing. Each upload is
// answered once (its file id is marked done in the store, so a redelivered
// event after a restart is not answered again), and each import is
// decided once: Import or Cancel is marked done in the store before
// anything is written, so a second click or a redelivered one does
// nothing twice.

// Button action ids of an import's summary; their value is the upload's id.
const (
	ActionImportApply      = "import_apply"       // every row valid: write them
	ActionImportApplyValid = "import_apply_valid" // some invalid: write the valid ones (--skip-invalid)
	ActionImportCancel     = "import_cancel"
)

func isImportAction(id string) bool {
	return id == ActionImportApply || id == ActionImportApplyValid || id == ActionImportCancel
}

// ImportOptions tune the import of a file sent to the bot. Zero values take
// the defaults.
type ImportOptions struct {
	// MaxBytes is the largest file imported (20 MB: some 100,000 CRM
	// rows); a larger one is refused before it is downloaded.
	MaxBytes int64
	// ProgressEvery is how many rows are written between two updates of
	// the progress message (5,000).
	ProgressEvery int
	// Keep is how long a dry-run file waits for Import or Cancel (an hour).
	Keep time.Duration
	// Dir is where downloaded files are kept meanwhile (os.TempDir()).
	Dir string
}

// ProblemsShown is how many lines to look at (invalid rows, conflicts) a
// summary lists; dealpilot import --dry-run lists them all.
const ProblemsShown = 10

func (o ImportOptions) withDefaults() ImportOptions {
	if o.MaxBytes <= 0 {
		o.MaxBytes = 20 << 20
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 5000
	}
	if o.Keep <= 0 {
		o.Keep = time.Hour
	}
	return o
}

// ImportUpload is a file a person sent the bot, as the transport knows it.
type ImportUpload struct {
	ID      string // the platform's file id: one import per upload
	Name    string
	Size    int64  // as the platform says, before downloading
	Channel string // the direct message it was sent in
	// Fetch downloads the file's content into w.
	Fetch func(ctx context.Context, w io.Writer) error
}

// ImportSummary is an import's dry run: what Import would do, the first
// lines to look at, and the buttons.
type ImportSummary struct {
	ID     string // the upload's id, the buttons' value
	File   string
	Format string // the header set recognised ("hubspot-en"…)
	Rows   int
	Counts map[crm.Action]int
	// Problems are the first ProblemsShown invalid or conflicting rows, as
	// the import report words them; More is how many more there are.
	Problems []string
	More     int
	// Closed is a dry run with nothing to write (every row unchanged or
	// invalid): no buttons.
	Closed bool
}

func (ImportSummary) isReply() {}

// Writable is how many rows Import would write.
func (s ImportSummary) Writable() int {
	return s.Counts[crm.Create] + s.Counts[crm.Update] + s.Counts[crm.Conflict]
}

// PeopleFinder is what a Messenger whose platform finds people by email
// implements too: an owner given by email in a CRM export, which the
// configuration's import: owners does not map, is looked up there (Slack:
// users.lookupByEmail, with users:read.email). Teams' does not: the Bot
// Framework offers a bot no lookup by email (Microsoft Graph would, with
// User.Read.All and an admin's consent, which dealpilot does not ask), so
// such owners are mapped in the configuration.
type PeopleFinder interface {
	// FindByEmail returns the person with email: crm.ErrNoPerson when no
	// one, an error wrapping crm.ErrNoLookup when the platform refuses
	// lookups (a missing scope).
	FindByEmail(ctx context.Context, email string) (crm.Person, error)
	// Platform names the platform in reports ("Slack").
	Platform() string
}

// Directory is the crm.Directory of one import on m's platform, nil when m
// finds no one by email: one per import, so each email is asked once for
// the dry run and the write.
func Directory(m any) *crm.Directory {
	f, ok := m.(PeopleFinder)
	if !ok {
		return nil
	}
	return &crm.Directory{Where: f.Platform(), Lookup: f.FindByEmail}
}

// pendingImport is a dry-run file waiting for Import or Cancel.
type pendingImport struct {
	dir     *crm.Directory // the dry run's lookups, kept for the write
	path    string
	name    string
	user    domain.UserID
	channel string
	at      time.Time
	file    *crm.File
	invalid int
	total   int
}

type imports struct {
	opts ImportOptions
	mu   sync.Mutex
	m    map[string]*pendingImport
}

// take removes and returns the pending import id.
func (s *imports) take(id string) *pendingImport {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.m[id]
	delete(s.m, id)
	return p
}

func (s *imports) get(id string) *pendingImport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}

func (s *imports) put(id string, p *pendingImport) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id] = p
}

// prune forgets the imports older than Keep, and their files.
func (s *imports) prune(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, p := range s.m {
		if now.Sub(p.at) > s.opts.Keep {
			_ = os.Remove(p.path)
			delete(s.m, id)
		}
	}
}

// ImportFilePattern is how the files of imports waiting for a click are
// named in ImportOptions.Dir.
const ImportFilePattern = "dealpilot-import-*"

// SweepImportFiles removes the files of imports no one will click any more:
// those a bot kept before it restarted (its pending imports are held in
// memory, so a restart loses them and not their files) or crashed. Only
// files older than Keep are removed, as they have expired whoever kept them:
// a younger one may be another bot's sharing the directory (the system's
// temporary directory by default). The bot calls it at start; it returns
// how many it removed.
func (b *Bot) SweepImportFiles() (int, error) {
	dir := b.imports.opts.Dir
	if dir == "" {
		dir = os.TempDir()
	}
	names, err := filepath.Glob(filepath.Join(dir, ImportFilePattern))
	if err != nil {
		return 0, err
	}
	now := b.clock.Now()
	removed := 0
	for _, name := range names {
		if b.imports.holds(name) {
			continue
		}
		fi, err := os.Lstat(name)
		if err != nil || !fi.Mode().IsRegular() || now.Sub(fi.ModTime()) <= b.imports.opts.Keep {
			continue
		}
		if err := os.Remove(name); err == nil {
			removed++
		}
	}
	return removed, nil
}

// holds reports whether path is a pending import's file.
func (s *imports) holds(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.m {
		if p.path == path {
			return true
		}
	}
	return false
}

// pruneImportsJob forgets the expired imports and removes their files on
// every tick, so a dry run no one answered leaves no file behind for long.
func (b *Bot) pruneImportsJob() Job {
	return Job{Name: "prune_imports", Run: func(_ context.Context, _ Messenger, now time.Time) error {
		b.imports.prune(now)
		return nil
	}}
}

// MayImport reports whether user may import deals: an admin or a team's
// manager.
func (b *Bot) MayImport(user domain.UserID) bool {
	return b.cfg.IsAdmin(user) || len(b.cfg.TeamsManagedBy(user)) > 0
}

// ImportFile answers a file sent to the bot in a direct message: once per
// upload, it checks who sent it and its size, downloads it, reads it and
// posts the dry run's summary in the message's channel (or why not).
func (b *Bot) ImportFile(ctx context.Context, m Messenger, c Caller, up ImportUpload) error {
	if already, err := b.store.MarkDone("import-file:" + up.ID); err != nil || already {
		return err // a redelivered event: answered the first time
	}
	say := func(msgs ...Msg) error {
		_, err := m.Post(ctx, up.Channel, "", Notice{Msgs: msgs})
		return err
	}
	if !b.MayImport(c.User) {
		return say(M("import.refused"))
	}
	max := b.imports.opts.MaxBytes
	if up.Size > max {
		return say(M("import.too_big", up.Name, megabytes(up.Size), megabytes(max)))
	}
	target, ok := b.store.(crm.Target)
	if !ok {
		return errors.New("bot: the store cannot import")
	}
	b.imports.prune(b.clock.Now())
	f, err := os.CreateTemp(b.imports.opts.Dir, ImportFilePattern)
	if err != nil {
		return err
	}
	name := f.Name()
	keep := false
	defer func() {
		if !keep {
			_ = os.Remove(name)
		}
	}()
	// The platform's size may be wrong or absent: the download stops at the
	// cap too.
	err = up.Fetch(ctx, &capWriter{w: f, left: max})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case errors.Is(err, errTooBig):
		return say(M("import.too_big", up.Name, megabytes(max+1), megabytes(max)))
	case err != nil:
		if e := say(M("import.download_failed", up.Name)); e != nil {
			return e
		}
		return fmt.Errorf("bot: downloading %s: %w", up.ID, err)
	}
	file, err := crm.Open(name, crm.Options{})
	if err != nil {
		var fe *crm.FileError
		if errors.As(err, &fe) {
			return say(M("import.bad_file", up.Name, fe))
		}
		return err
	}
	dir := Directory(m)
	sum, err := b.dryRun(ctx, target, file, up, dir)
	if err != nil {
		// A lookup the platform did not answer, or the store: said, and logged.
		if e := say(M("import.failed", up.Name, i18n.ErrorMessage(b.cfg.Locale, err))); e != nil {
			return e
		}
		return err
	}
	if sum.Writable() == 0 {
		// Nothing Import could write: the summary alone, no buttons.
		sum.Closed = true
		_, err := m.Post(ctx, up.Channel, "", sum)
		return err
	}
	keep = true
	b.imports.put(up.ID, &pendingImport{dir: dir, path: name, name: up.Name, user: c.User, channel: up.Channel, at: b.clock.Now(),
		file: file, invalid: sum.Counts[crm.Invalid], total: sum.Rows})
	_, err = m.Post(ctx, up.Channel, "", sum)
	return err
}

// dryRun plans file against the store and sums it up.
func (b *Bot) dryRun(ctx context.Context, t crm.Target, file *crm.File, up ImportUpload, dir *crm.Directory) (ImportSummary, error) {
	sum := ImportSummary{ID: up.ID, File: up.Name, Format: file.Layout.Set.ID, Rows: file.Rows, Counts: map[crm.Action]int{}}
	var line strings.Builder
	rep := &crm.Report{W: &line, Counts: map[crm.Action]int{}, Locale: b.cfg.Locale, Chat: true, Explain: func(err error) string { return i18n.ErrorMessage(b.cfg.Locale, err) }}
	rules := b.importRules()
	rules.Directory = dir
	run := crm.Run{File: file, Rules: rules}
	_, _, err := run.Do(ctx, t, false, func(o crm.Outcome) {
		sum.Counts[o.Action]++
		if o.Action != crm.Invalid && o.Action != crm.Conflict {
			return
		}
		if len(sum.Problems) == ProblemsShown {
			sum.More++
			return
		}
		line.Reset()
		rep.Outcome(o)
		sum.Problems = append(sum.Problems, strings.TrimSpace(line.String()))
	})
	return sum, err
}

// ImportRules are a configuration's import: section and what the mapping
// needs of the rest of it, on the day of now: what dealpilot import, the
// running bot's import for it, and a file sent to the bot all read.
func ImportRules(cfg *config.Config, now time.Time) *crm.Rules {
	rl := &crm.Rules{
		Owners:   map[string]domain.UserID{},
		Known:    cfg.Knows,
		Process:  cfg.Stages,
		Currency: cfg.Currency,
		Today:    domain.DateOf(now.In(cfg.Location)),
		Location: cfg.Location,
	}
	for k, u := range cfg.Import.Owners {
		rl.Owners[crm.OwnerKey(k)] = u
	}
	for _, s := range cfg.Import.Stages {
		rl.Stages = append(rl.Stages, crm.StageMap{CRM: s.CRM, Stage: s.Stage, Category: s.Category, Status: s.Status})
	}
	// Every attribute: dealpilot's own export has a column for each; a
	// CRM's file only those import: attributes: maps.
	for _, at := range cfg.Segments {
		m := crm.AttrMap{Name: at.Name, Values: at.Values}
		for _, a := range cfg.Import.Attributes {
			if a.Name == at.Name {
				m.Header = a.Header
			}
		}
		rl.Attrs = append(rl.Attrs, m)
	}
	return rl
}

// ImportRules are the bot's import rules today.
func (b *Bot) ImportRules() *crm.Rules { return b.importRules() }

// ImportMaxBytes is the largest file the bot imports (ImportOptions.MaxBytes):
// a file sent in a direct message or through dealpilot import alike.
func (b *Bot) ImportMaxBytes() int64 { return b.imports.opts.MaxBytes }

func (b *Bot) importRules() *crm.Rules { return ImportRules(b.cfg, b.clock.Now()) }

// importAction answers Import, Import the valid rows and Cancel.
func (b *Bot) importAction(ctx context.Context, c Caller, actionID, id string) (Reply, error) {
	p := b.imports.get(id)
	if p == nil || b.clock.Now().Sub(p.at) > b.imports.opts.Keep {
		if b.store.Done("import:" + id) { // decided, maybe before a restart
			return Notice{Msgs: []Msg{M("import.already")}}, nil
		}
		if p = b.imports.take(id); p != nil {
			_ = os.Remove(p.path)
		}
		return Notice{Msgs: []Msg{M("import.expired")}}, nil
	}
	if p.user != c.User {
		return Notice{Msgs: []Msg{M("import.not_yours")}}, nil
	}
	if actionID == ActionImportApply && p.invalid > 0 {
		return Notice{Msgs: []Msg{M("import.invalid_rows", p.invalid)}}, nil
	}
	// Decided once: of clicks racing (a double click, a redelivery), one
	// wins; a later one finds it taken, and done.
	if already, err := b.store.MarkDone("import:" + id); err != nil || already {
		if err != nil {
			return nil, err
		}
		return Notice{Msgs: []Msg{M("import.already")}}, nil
	}
	b.imports.take(id)
	if actionID == ActionImportCancel {
		_ = os.Remove(p.path)
		return Notice{Msgs: []Msg{M("import.cancelled", p.name)}}, nil
	}
	return WithPosts{Reply: Notice{Msgs: []Msg{M("import.started", p.name)}}, Posts: []Post{{Run: func(ctx context.Context, m Messenger) error {
		return b.runImport(ctx, m, p)
	}}}}, nil
}

// runImport writes a pending import, updating a progress message every
// ProgressEvery rows, which ends as the result.
func (b *Bot) runImport(ctx context.Context, m Messenger, p *pendingImport) error {
	defer os.Remove(p.path)
	// A large file outlives the request's budget; it is written batch by
	// batch, each a transaction, so a stop leaves whole batches.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Minute)
	defer cancel()
	target, ok := b.store.(crm.Target)
	if !ok {
		return errors.New("bot: the store cannot import")
	}
	ref, err := m.Post(ctx, p.channel, "", Notice{Msgs: []Msg{M("import.progress", p.name, 0, p.total)}})
	if err != nil {
		return err
	}
	every := b.imports.opts.ProgressEvery
	shown := 0
	rules := b.importRules()
	rules.Directory = p.dir
	run := crm.Run{File: p.file, Rules: rules, Batch: min(every, 1000), Progress: func(rows int) {
		if rows-shown >= every && rows < p.total {
			shown = rows
			_ = m.Update(ctx, p.channel, ref, Notice{Msgs: []Msg{M("import.progress", p.name, rows, p.total)}})
		}
	}}
	created, updated, err := run.Do(ctx, target, true, nil)
	result := Notice{Msgs: []Msg{M("import.done", p.name, created, updated, p.invalid)}}
	if err != nil {
		result = Notice{Msgs: []Msg{M("import.failed", p.name, i18n.ErrorMessage(b.cfg.Locale, err))}}
	}
	if uerr := m.Update(ctx, p.channel, ref, result); uerr != nil {
		return uerr
	}
	return err
}

// megabytes rounds n bytes up to whole megabytes.
func megabytes(n int64) int64 { return (n + 1<<20 - 1) >> 20 }

var errTooBig = errors.New("bot: the file is larger than the import cap")

// capWriter passes at most left bytes on, then fails with errTooBig.
type capWriter struct {
	w    io.Writer
	left int64
}

func (c *capWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > c.left {
		return 0, errTooBig
	}
	c.left -= int64(len(p))
	return c.w.Write(p)
}
