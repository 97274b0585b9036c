package crm

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/dealpilot/dealpilot/i18n"
)

// Limits on what one file may hold, so a broken or hostile file is refused
// with a message instead of filling memory.
const (
	// MaxField is the longest cell read, in bytes. A deal's longest text
	// is domain.MaxTextLen (2,000 characters); CRMs allow 32,000-character
	// descriptions, which an import ignores but must still read past.
	MaxField = 64 << 10
	// MaxRecord is the longest record (one row, all its cells) read, in
	// bytes. It bounds what an unterminated quote makes the reader buffer.
	MaxRecord = 1 << 20
	// MaxColumns is the widest row accepted.
	MaxColumns = 1000
)

// FileError is a problem with the file as a whole: nothing of it can be
// trusted, so nothing is imported. Line is 0 when the problem is not at a
// line (an encoding seen from the first bytes).
// Key and Args name its catalogue message: Error writes it in English (as
// dealpilot import says it), Localize in a workspace's language (the bot's
// answer to a file it cannot import).
type FileError struct {
	Line int
	Key  string
	Args []any
}

func (e *FileError) Error() string { return e.Localize(i18n.EN) }

// Localize writes the error in loc, after its line when it has one.
func (e *FileError) Localize(loc i18n.Locale) string {
	msg := i18n.T(loc, e.Key, e.Args...)
	if e.Line > 0 {
		return i18n.T(loc, "crm.file.line", e.Line, msg)
	}
	return msg
}

func fileErrorf(line int, key string, args ...any) *FileError {
	return &FileError{Line: line, Key: key, Args: args}
}

// rows is a source of records: a CSV text or an XLSX sheet.
type rows interface {
	// next returns the next record and the line (CSV) or row (XLSX) it
	// starts at; io.EOF after the last. The slice is reused by the next
	// call.
	next() (line int, rec []string, err error)
	close() error
}

// Encoding names what a text file was written in, as reports show it.
type Encoding string

// Encodings read.
const (
	UTF8        Encoding = "UTF-8"
	UTF8BOM     Encoding = "UTF-8 with BOM"
	UTF16LE     Encoding = "UTF-16LE"
	UTF16BE     Encoding = "UTF-16BE"
	XLSXEncoded Encoding = "XLSX"
)

// decode returns r as UTF-8 text: a UTF-8 BOM is dropped, UTF-16 with a BOM
// (what Excel's "Unicode text" writes) is converted. UTF-16 without a BOM is
// recognised by its zero bytes and refused: its byte order is a guess.
func decode(r io.Reader) (io.Reader, Encoding, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, UTF8BOM, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), UTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), UTF16BE, nil
	case len(head) >= 2 && (head[0] == 0) != (head[1] == 0):
		return nil, "", fileErrorf(0, "crm.file.utf16_no_bom")
	}
	return br, UTF8, nil
}

// capReader fails once more than limit bytes have been read: the CSV reader
// moves the limit forward after each record, so only one record is bounded.
type capReader struct {
	r     io.Reader
	n     int64
	limit int64
	eof   bool // the text has been read to its end
}

var errRecordTooLong = errors.New("record too long")

func (c *capReader) Read(p []byte) (int, error) {
	if c.n > c.limit {
		return 0, errRecordTooLong
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.eof = c.eof || err == io.EOF
	return n, err
}

// csvRows reads delimited text.
type csvRows struct {
	cr     *csv.Reader
	cap    *capReader
	closer io.Closer
	skip   int // lines consumed before the CSV reader started (a sep= line)
}

// newCSVRows decodes r, finds its delimiter from the header line (an
// Excel "sep=;" first line wins) and reads RFC 4180 records: quoted fields
// may hold delimiters, quotes and line breaks.
func newCSVRows(r io.ReadCloser) (*csvRows, Encoding, rune, error) {
	text, enc, err := decode(r)
	if err != nil {
		return nil, "", 0, err
	}
	br := bufio.NewReaderSize(text, 64<<10)
	skip := 0
	if head, _ := br.Peek(6); len(head) == 6 && strings.EqualFold(string(head[:4]), "sep=") {
		line, _ := br.ReadString('\n')
		sep := []rune(strings.TrimRight(line[4:], "\r\n"))
		if len(sep) != 1 {
			return nil, "", 0, fileErrorf(1, "crm.file.sep_line")
		}
		skip = 1
		return finishCSV(br, r, enc, sep[0], skip)
	}
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", 0, fileErrorf(0, "crm.file.unreadable", err)
	}
	if len(head) == 0 {
		return nil, "", 0, fileErrorf(0, "crm.file.empty")
	}
	if !utf8.Valid(trimPartialRune(head)) {
		return nil, "", 0, fileErrorf(firstBadLine(head), "crm.file.not_utf8")
	}
	delim, ok := sniffDelimiter(head)
	if !ok {
		return nil, "", 0, fileErrorf(1, "crm.file.no_delimiter")
	}
	return finishCSV(br, r, enc, delim, skip)
}

func finishCSV(br io.Reader, closer io.Closer, enc Encoding, delim rune, skip int) (*csvRows, Encoding, rune, error) {
	c := &capReader{r: br, limit: MaxRecord}
	cr := csv.NewReader(c)
	cr.Comma = delim
	cr.FieldsPerRecord = -1 // counted by the caller, with a better message
	cr.ReuseRecord = true
	return &csvRows{cr: cr, cap: c, closer: closer, skip: skip}, enc, delim, nil
}

// trimPartialRune drops a rune cut by the end of a peeked buffer.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && i < len(b); i++ {
		if utf8.Valid(b[:len(b)-i]) {
			return b[:len(b)-i]
		}
	}
	return b
}

func firstBadLine(b []byte) int {
	line := 1
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		b = b[n:]
	}
	return line
}

// sniffDelimiter counts commas, semicolons and tabs outside quotes in the
// first line; the most frequent wins.
func sniffDelimiter(head []byte) (rune, bool) {
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(head) {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if r == '\n' || r == '\r' {
			break
		}
		if r == ',' || r == ';' || r == '\t' {
			counts[r]++
		}
	}
	best, n := rune(0), 0
	for _, r := range []rune{',', ';', '\t'} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best, n > 0
}

func (c *csvRows) next() (int, []string, error) {
	start := c.cr.InputOffset()
	c.cap.limit = start + MaxRecord
	rec, err := c.cr.Read()
	if err != nil {
		line := 0
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return 0, nil, io.EOF
		case errors.Is(err, errRecordTooLong):
			l, _ := c.cr.FieldPos(0)
			return 0, nil, fileErrorf(l+c.skip, "crm.file.row_too_long", MaxRecord)
		case errors.As(err, &pe):
			line = pe.StartLine + c.skip
			if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
				if c.cap.eof && c.cr.InputOffset() == c.cap.n {
					return 0, nil, fileErrorf(line, "crm.file.quote_never_ends")
				}
				return 0, nil, fileErrorf(pe.Line+c.skip, "crm.file.stray_quote", pe.Column)
			}
			return 0, nil, fileErrorf(line, "crm.file.csv", pe.Err)
		}
		return 0, nil, fileErrorf(0, "crm.file.unreadable", err)
	}
	line, _ := c.cr.FieldPos(0)
	line += c.skip
	if len(rec) > MaxColumns {
		return 0, nil, fileErrorf(line, "crm.file.too_many_columns", len(rec), MaxColumns)
	}
	for i, f := range rec {
		if len(f) > MaxField {
			return 0, nil, fileErrorf(line, "crm.file.cell_too_big", i+1, len(f), MaxField)
		}
		if !utf8.ValidString(f) {
			return 0, nil, fileErrorf(line, "crm.file.not_utf8")
		}
	}
	return line, rec, nil
}

func (c *csvRows) close() error { return c.closer.Close() }
