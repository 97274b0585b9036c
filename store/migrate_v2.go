package store

import (
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode"

	"go.etcd.io/bbolt"

	"github.com/dealpilot/dealpilot/domain"
)

// migrateV2 creates the v2 buckets and indexes every deal in them, as
// dealpilot indexed deals when schema version 2 was written (commit
// 9a9580d): the code below is a frozen copy of that indexing, so later
// changes to today's (index.go, words.go, keys.go) cannot change what this
// migration writes. Its words are folded by v2's own table (v2Folds); migration 4
// rebuilds idx_word with domain.FoldWords. Deal records are read with
// decodeDeal, which reads every record version ever written (record.go).
func migrateV2(tx *bbolt.Tx, _ time.Time) error {
	for _, name := range [][]byte{bucketIdxWord, bucketIdxDue, bucketIdxClose, bucketDone} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %q: %w", name, err)
		}
	}
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return err
	}
	words, due, closing := tx.Bucket(bucketIdxWord), tx.Bucket(bucketIdxDue), tx.Bucket(bucketIdxClose)
	return deals.ForEach(func(k, v []byte) error {
		d, err := decodeDeal(idSuffix(k), v)
		if err != nil {
			return err
		}
		put := func(b *bbolt.Bucket, key []byte) error { return b.Put(key, []byte{}) }
		for _, w := range frozenWords(v2Folds, d.Name, d.Account) {
			if err := put(words, v2Key([]byte(w), []byte{0}, d.ID)); err != nil {
				return err
			}
		}
		if !d.NextStepDue.IsZero() {
			if err := put(due, v2Key(v2Date(d.NextStepDue), nil, d.ID)); err != nil {
				return err
			}
		}
		if err := put(closing, v2Key(v2Date(d.CloseDate), nil, d.ID)); err != nil {
			return err
		}
		return nil
	})
}

// v2Key is prefix, then sep, then the deal id in 8 big-endian bytes:
// <word>0x00<id> in idx_word, <date><id> in idx_due and idx_close.
func v2Key(prefix, sep []byte, id domain.DealID) []byte {
	k := append(append(append([]byte(nil), prefix...), sep...), make([]byte, 8)...)
	binary.BigEndian.PutUint64(k[len(k)-8:], uint64(id))
	return k
}

// v2Date is a date in 4 bytes whose order is date order: year<<9 | month<<5
// | day, the year clamped to 0..2^23-1.
func v2Date(d domain.Date) []byte {
	y := min(max(d.Year, 0), 1<<23-1)
	return binary.BigEndian.AppendUint32(nil, uint32(y)<<9|uint32(d.Month&0xf)<<5|uint32(d.Day&0x1f))
}

// frozenWords are the distinct search words of texts as migrations 2 and 4
// found them: runs of letters and digits, lowercased and folded by folds, in
// first-seen order; a combining mark folds to nothing inside a word, any
// other character ends one. Only the table changed between the two.
func frozenWords(folds map[rune]string, texts ...string) []string {
	var words []string
	seen := map[string]bool{}
	var w strings.Builder
	flush := func() {
		if s := w.String(); s != "" && !seen[s] {
			seen[s] = true
			words = append(words, s)
		}
		w.Reset()
	}
	for _, text := range texts {
		for _, r := range text {
			switch {
			case unicode.Is(unicode.Mn, r):
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				r = unicode.ToLower(r)
				if f, ok := folds[r]; ok {
					w.WriteString(f)
				} else {
					w.WriteRune(r)
				}
			default:
				flush()
			}
		}
		flush()
	}
	return words
}

// v2Folds maps the accented lowercase Latin and Greek letters v2 knew to
// their base letters; other letters were kept as they are.
var v2Folds = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ĳ': "ij"}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăąǎǻ", "c": "çćĉċč", "d": "ďđð", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįıǐ", "j": "ĵ", "k": "ķ", "l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏőǒǿ",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűųǔ", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
		"α": "ά", "ε": "έ", "η": "ή", "ι": "ίϊΐ", "ο": "ό", "υ": "ύϋΰ", "ω": "ώ",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
