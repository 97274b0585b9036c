package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dealpilot/dealpilot/bot"
)

// dealpilot import while the bot runs: the bot holds the database file, so
// the CLI sends the export to the bot (POST /import on its
// DEALPILOT_HTTP_ADDR, which it dials on loopback), and the bot runs the
// very same import (runImport) in its own store, with its own
// configuration, streaming back the report the CLI prints.
//
// Only a command on this machine that can read the database's directory
// may: the bot answers loopback clients naming a loopback host only (as
// /backup), and wants the token it drew at start and wrote beside the file
// (DEALPILOT_DB + ".token", mode 0600), so the token also proves the CLI
// names the file that bot serves. A new token is drawn at each start.
//
// The request: the flags in the query (name, the file's path as the CLI
// prints it; dry-run, skip-invalid, prefer-file, dates), a multipart body
// with the mapping file (optional) then the file. The answer streams lines:
// "1 " and a line of the report (stdout), "2 " and a line for stderr, and
// last "exit N", the code dealpilot import exits with.

// tokenPath is where the bot serving db writes its import token.
func tokenPath(db string) string { return db + ".token" }

// writeToken draws a token and writes it beside db, readable by the
// file's owner only (renamed into place: a reader never sees half of it).
func writeToken(db string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b[:])
	tmp, err := os.CreateTemp(filepath.Dir(db), filepath.Base(db)+".token-*")
	if err != nil {
		return "", err
	}
	_, err = tmp.WriteString(tok + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), tokenPath(db))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tok, nil
}

// maxMappingBytes caps a mapping file sent to the bot (a few lines of YAML).
const maxMappingBytes = 1 << 20

// importFile is POST /import: dealpilot import of a file this bot holds.
func (s *server) importFile(w http.ResponseWriter, r *http.Request) {
	if !loopbackRequest(r) {
		s.log.Warn().Str("remote", r.RemoteAddr).Str("host", r.Host).Msg("refused an import from outside this machine")
		http.Error(w, "imports are taken from this machine only (loopback)", http.StatusForbidden)
		return
	}
	if s.token == "" {
		http.Error(w, "this bot wrote no import token beside its database file (see its log): stop it, import, and start it again", http.StatusServiceUnavailable)
		return
	}
	got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) != 1 {
		s.log.Warn().Str("remote", r.RemoteAddr).Msg("refused an import without this bot's token")
		http.Error(w, "wrong token: this bot serves "+s.dbPath()+", whose token is beside it", http.StatusForbidden)
		return
	}
	if !s.importing.TryLock() {
		http.Error(w, "another import is running through this bot: run this one when it has ended", http.StatusConflict)
		return
	}
	defer s.importing.Unlock()

	// The file is capped as one sent in a direct message is; the body as
	// the file, the mapping and the multipart framing around them.
	max := s.bot.ImportMaxBytes()
	r.Body = http.MaxBytesReader(w, r.Body, max+maxMappingBytes+64<<10)

	q := r.URL.Query()
	fl := importFlags{dry: q.Get("dry-run") == "1", skipInvalid: q.Get("skip-invalid") == "1",
		preferFile: q.Get("prefer-file") == "1", dates: q.Get("dates")}
	name := q.Get("name")
	if name == "" {
		name = "import"
	}
	mr, err := r.MultipartReader()
	if err != nil {
		http.Error(w, "the file is sent as multipart/form-data: "+err.Error(), http.StatusBadRequest)
		return
	}
	tmp, err := os.CreateTemp("", "dealpilot-import-*")
	if err != nil {
		s.log.Error().Err(err).Msg("import: no temporary file")
		http.Error(w, "the bot could not keep the file: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.Remove(tmp.Name())
	gotFile := false
	for !gotFile {
		p, err := mr.NextPart()
		if err != nil {
			tmp.Close()
			if !requestTooBig(w, err, max) {
				http.Error(w, "the request ended before the file: "+err.Error(), http.StatusBadRequest)
			}
			return
		}
		switch p.FormName() {
		case "mapping":
			fl.mapping, err = io.ReadAll(io.LimitReader(p, maxMappingBytes+1))
			if err == nil && len(fl.mapping) > maxMappingBytes {
				err = errors.New("the mapping file is larger than 1 MB")
			}
		case "file":
			var n int64
			n, err = io.Copy(tmp, io.LimitReader(p, max+1))
			gotFile = true
			if err == nil && n > max {
				tmp.Close()
				http.Error(w, fmt.Sprintf("the file is larger than %d MB, the largest this bot imports: split it, or import it with the bot stopped", (max+1<<20-1)>>20), http.StatusRequestEntityTooLarge)
				return
			}
		}
		if err != nil {
			tmp.Close()
			if !requestTooBig(w, err, max) {
				http.Error(w, "reading the request: "+err.Error(), http.StatusBadRequest)
			}
			return
		}
	}
	if err := tmp.Close(); err != nil {
		http.Error(w, "the bot could not keep the file: "+err.Error(), http.StatusInternalServerError)
		return
	}

	// The import runs until it ends, the CLI goes (Ctrl-C), or the bot stops.
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()

	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	rc := http.NewResponseController(w)
	stdout, stderr := &framed{w: w, tag: '1'}, &framed{w: w, tag: '2'}
	code := s.runImportFor(ctx, tmp.Name(), name, fl, func() { _ = rc.Flush() }, stdout, stderr)
	fmt.Fprintf(w, "exit %d\n", code)
	s.log.Info().Str("file", filepath.Base(name)).Bool("dry_run", fl.dry).Int("exit", code).Msg("import through the bot")
}

// requestTooBig answers a request whose body went past the cap (err is
// http.MaxBytesReader's) and reports whether it did.
func requestTooBig(w http.ResponseWriter, err error, max int64) bool {
	var tooBig *http.MaxBytesError
	if !errors.As(err, &tooBig) {
		return false
	}
	http.Error(w, fmt.Sprintf("the request is larger than the %d MB this bot imports: split the file, or import it with the bot stopped", (max+1<<20-1)>>20), http.StatusRequestEntityTooLarge)
	return true
}

// runImportFor imports the file at path (named name) as dealpilot import
// would, with this bot's configuration, store and clock, and on Slack its
// lookup of owners by email.
func (s *server) runImportFor(ctx context.Context, path, name string, fl importFlags, flush func(), stdout, stderr io.Writer) int {
	opts, err := importOptions(fl.dates, "--mapping", fl.mapping)
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot import:", err)
		return exitUsage
	}
	f, code, ok := openImportFile(path, name, opts, stderr)
	if !ok {
		return code
	}
	rules := s.bot.ImportRules()
	if s.app != nil {
		rules.Directory = bot.Directory(s.app)
	} else {
		fmt.Fprintln(stderr, "dealpilot import: owners by email are not looked up: Teams offers a bot no lookup by email; map them under import: owners:")
	}
	return runImport(ctx, s.db, f, name, rules, s.bot.Config().Locale, fl, flush, stdout, stderr)
}

// framed writes each line written to it to w as a line of the answer:
// its tag, a space, the line.
type framed struct {
	w   io.Writer
	tag byte
	buf []byte
}

func (f *framed) Write(p []byte) (int, error) {
	f.buf = append(f.buf, p...)
	for {
		i := bytes.IndexByte(f.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := append([]byte{f.tag, ' '}, f.buf[:i+1]...)
		f.buf = f.buf[i+1:]
		if _, err := f.w.Write(line); err != nil {
			return len(p), err
		}
	}
}

// importThroughBot sends the file to the running bot that holds
// DEALPILOT_DB and prints its report as dealpilot import would have.
func importThroughBot(ctx context.Context, e env, path string, fl importFlags, configGiven bool, stdout, stderr io.Writer) int {
	held := fmt.Sprintf("dealpilot import: %s is held by a running bot", e.DB)
	if !on(e.HTTPAddr) {
		fmt.Fprintf(stderr, "%s, and DEALPILOT_HTTP_ADDR is off, so it cannot be asked to import: set it to the bot's own, or stop the bot, import, and start it again\n", held)
		return exitFailed
	}
	raw, err := os.ReadFile(tokenPath(e.DB))
	if err != nil {
		fmt.Fprintf(stderr, "%s that wrote no import token beside it (%s: %v): a bot before dealpilot import through it; stop it, import, and start it again\n",
			held, tokenPath(e.DB), err)
		return exitFailed
	}
	token := strings.TrimSpace(string(raw))
	file, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot import:", err)
		return exitFailed
	}
	defer file.Close()
	if configGiven {
		fmt.Fprintf(stderr, "dealpilot import: --config %s is not read: the running bot imports with its own configuration\n", e.Config)
	}

	addr := loopbackAddr(e.HTTPAddr)
	q := url.Values{"name": {path}}
	for k, v := range map[string]bool{"dry-run": fl.dry, "skip-invalid": fl.skipInvalid, "prefer-file": fl.preferFile} {
		if v {
			q.Set(k, "1")
		}
	}
	if fl.dates != "" {
		q.Set("dates", fl.dates)
	}
	// The body streams: the file is never held in memory.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			if fl.mapping != nil {
				part, err := mw.CreateFormFile("mapping", "mapping.yaml")
				if err != nil {
					return err
				}
				if _, err := part.Write(fl.mapping); err != nil {
					return err
				}
			}
			part, err := mw.CreateFormFile("file", filepath.Base(path))
			if err != nil {
				return err
			}
			if _, err := io.Copy(part, file); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/import?"+q.Encode(), pr)
	if err != nil {
		fmt.Fprintln(stderr, "dealpilot import:", err)
		return exitFailed
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			fmt.Fprintf(stderr, "%s that does not answer on DEALPILOT_HTTP_ADDR (%s): set DEALPILOT_HTTP_ADDR to the bot's own (a loopback address), or stop it, import, and start it again\n", held, e.HTTPAddr)
			return exitFailed
		}
		fmt.Fprintf(stderr, "dealpilot import: the bot at %s: %v\n", addr, err)
		return exitFailed
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		fmt.Fprintf(stderr, "dealpilot import: the bot at %s refused: %s %s\nnothing imported\n", addr, resp.Status, strings.TrimSpace(string(msg)))
		return exitFailed
	}
	fmt.Fprintf(stderr, "dealpilot import: %s is held by the running bot at %s: imported through it, with its configuration\n", e.DB, addr)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 16<<20) // a report line quotes a field, which may be long
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "1 "):
			fmt.Fprintln(stdout, line[2:])
		case strings.HasPrefix(line, "2 "):
			fmt.Fprintln(stderr, line[2:])
		case strings.HasPrefix(line, "exit "):
			if code, err := strconv.Atoi(line[len("exit "):]); err == nil {
				return code
			}
		}
	}
	fmt.Fprintf(stderr, "dealpilot import: the bot at %s stopped answering before the import ended (%v): the batches it wrote are kept; import the file again to complete it\n", addr, sc.Err())
	return exitFailed
}
