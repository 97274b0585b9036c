package store

import (
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// migrateV4 rebuilds the word index: search words are now folded as
// domain.FoldWords folded them when schema version 4 was written (commit
// cfa5009: a few more letters than v2's table), the same folding the deal
// picker ranked with. The words and keys are a frozen copy (frozenWords,
// v4Folds, v2Key), so a later change to domain.FoldWords cannot change what
// this migration writes; such a change comes with a migration of its own
// that rebuilds idx_word again.
func migrateV4(tx *bbolt.Tx, _ time.Time) error {
	if err := tx.DeleteBucket(bucketIdxWord); err != nil {
		return fmt.Errorf("drop idx_word: %w", err)
	}
	words, err := tx.CreateBucket(bucketIdxWord)
	if err != nil {
		return fmt.Errorf("create idx_word: %w", err)
	}
	deals, err := bucket(tx, bucketDeals)
	if err != nil {
		return err
	}
	return deals.ForEach(func(k, v []byte) error {
		d, err := decodeDeal(idSuffix(k), v)
		if err != nil {
			return err
		}
		for _, w := range frozenWords(v4Folds, d.Name, d.Account) {
			if err := words.Put(v2Key([]byte(w), []byte{0}, d.ID), []byte{}); err != nil {
				return err
			}
		}
		return nil
	})
}

// v4Folds is domain.FoldWords' table of commit cfa5009: lowercase accented
// letters and ligatures to plain letters.
var v4Folds = func() map[rune]string {
	m := map[rune]string{}
	for _, g := range [][2]string{
		{"a", "àáâãäåāăąǎǻạảấầẩẫậắằẳẵặ"}, {"c", "çćĉċč"}, {"d", "ďđð"}, {"e", "èéêëēĕėęěẹẻẽếềểễệ"},
		{"g", "ĝğġģ"}, {"h", "ĥħ"}, {"i", "ìíîïĩīĭįıǐịỉ"}, {"j", "ĵ"}, {"k", "ķ"}, {"l", "ĺļľŀł"},
		{"n", "ñńņňŉ"}, {"o", "òóôõöøōŏőǒǿơọỏốồổỗộớờởỡợ"}, {"r", "ŕŗř"}, {"s", "śŝşšș"},
		{"t", "ţťŧț"}, {"u", "ùúûüũūŭůűųǔưụủứừửữự"}, {"w", "ŵ"}, {"y", "ýÿŷỳỵỷỹ"}, {"z", "źżž"},
		{"α", "ά"}, {"ε", "έ"}, {"η", "ή"}, {"ι", "ίϊΐ"}, {"ο", "ό"}, {"υ", "ύϋΰ"}, {"ω", "ώ"},
		{"ae", "æ"}, {"oe", "œ"}, {"ss", "ß"}, {"th", "þ"}, {"ij", "ĳ"}, {"fi", "ﬁ"}, {"fl", "ﬂ"},
	} {
		for _, r := range g[1] {
			m[r] = g[0]
		}
	}
	return m
}()
