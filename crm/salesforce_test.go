package crm

import "testing"

// TestSalesforceID18: a 15-character Salesforce id gains the suffix that
// encodes its case; any other id is left as it is. Each want is computed by
// the rule: for each 5-character chunk, a 5-bit number with bit i set when
// character i is an uppercase A-Z, as a character of
// "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".
func TestSalesforceID18(t *testing.T) {
	for _, c := range []struct{ name, id, want string }{
		// "001A0" A at 3 -> 8 -> I; "00000" -> 0 -> A; "6Vm9r" V at 1 -> 2 -> C
		{"one upper per chunk", "001A0000006Vm9r", "001A0000006Vm9rIAC"},
		// "00630" -> A; "00000" -> A; "XyZab" X at 0, Z at 2 -> 1+4 = 5 -> F
		{"upper in the last chunk", "0063000000XyZab", "0063000000XyZabAAF"},
		// "0065g" -> A; "00000" -> A; "AbCdE" A at 0, C at 2, E at 4 -> 1+4+16 = 21 -> V
		{"a Data Loader fixture's", "0065g00000AbCdE", "0065g00000AbCdEAAV"},
		// "ABCDE" -> 31 -> 5; "abcde" -> 0 -> A; "12345" -> 0 -> A
		{"all upper, all lower", "ABCDEabcde12345", "ABCDEabcde123455AA"},
		// "006Dn" D at 3 -> 8 -> I; "00000" -> A; "8PqRs" P at 1, R at 3 -> 2+8 = 10 -> K
		{"mixed", "006Dn000008PqRs", "006Dn000008PqRsIAK"},
		{"already 18", "0063000000XyZabAAF", "0063000000XyZabAAF"},
		{"too short", "0063000000XyZa", "0063000000XyZa"},
		{"not alphanumeric", "0063000000XyZ-b", "0063000000XyZ-b"},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := SalesforceID18(c.id); got != c.want {
				t.Errorf("SalesforceID18(%q) = %q, want %q", c.id, got, c.want)
			}
		})
	}
}

// TestSalesforceKeys: a Salesforce id is kept in its 18-character form, so
// a report's 15-character id and a Data Loader's 18 are one key; an
// 18-character key names the 15-character one older imports kept; other
// CRMs' ids are left alone.
func TestSalesforceKeys(t *testing.T) {
	if a, b := ExternalKey(Salesforce, "0063000000XyZab"), ExternalKey(Salesforce, "0063000000XyZabAAF"); a != b || a != "salesforce:0063000000XyZabAAF" {
		t.Errorf("keys %q and %q", a, b)
	}
	if k := ExternalKey(HubSpot, "0063000000XyZab"); k != "hubspot:0063000000XyZab" {
		t.Errorf("a HubSpot id of 15 characters became %q", k)
	}
	for _, c := range []struct {
		key, want string
		ok        bool
	}{
		{"salesforce:0063000000XyZabAAF", "salesforce:0063000000XyZab", true},
		{"salesforce:0063000000XyZabAAA", "", false}, // a suffix the case does not give
		{"salesforce:0063000000XyZab", "", false},
		{"hubspot:0063000000XyZabAAF", "", false},
	} {
		if got, ok := legacyKey(c.key); got != c.want || ok != c.ok {
			t.Errorf("legacyKey(%q) = %q, %v; want %q, %v", c.key, got, ok, c.want, c.ok)
		}
	}
}
