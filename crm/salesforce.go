package crm

import "strings"

// Salesforce gives a record two ids: 15 characters, case-sensitive (reports,
// the web's addresses), and 18, the 15 and a suffix that encodes their case
// (the API, Data Loader). A report's and a Data Loader's export of the same
// opportunities are the same deals: the id is kept in its 18-character form.

// sfSuffix is the alphabet of the suffix's characters.
const sfSuffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

// SalesforceID18 is the 18-character form of a 15-character Salesforce id:
// for each 5-character chunk, a 5-bit number with bit i set when character
// i is an uppercase A-Z, as a character of sfSuffix. Any other id (18
// characters already, or not a Salesforce id) is returned as it is.
func SalesforceID18(id string) string {
	if len(id) != 15 || !alnum(id) {
		return id
	}
	var b strings.Builder
	b.Grow(18)
	b.WriteString(id)
	for chunk := 0; chunk < 3; chunk++ {
		n := 0
		for i := 0; i < 5; i++ {
			if c := id[chunk*5+i]; 'A' <= c && c <= 'Z' {
				n |= 1 << i
			}
		}
		b.WriteByte(sfSuffix[n])
	}
	return b.String()
}

// salesforceID15 is an 18-character Salesforce id's 15-character form ("",
// false for any other id): the key an import before ids were kept in their
// 18-character form stored a report's deals under.
func salesforceID15(id string) (string, bool) {
	if len(id) != 18 || !alnum(id) || SalesforceID18(id[:15]) != id {
		return "", false
	}
	return id[:15], true
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// legacyKey is the key an earlier import may have kept a Salesforce deal
// under (its 15-character id) when key is its 18-character form.
func legacyKey(key string) (string, bool) {
	f, id, ok := SplitExternalKey(key)
	if !ok || f != Salesforce {
		return "", false
	}
	id15, ok := salesforceID15(id)
	if !ok {
		return "", false
	}
	return string(Salesforce) + ":" + id15, true
}
