package teamstest

import (
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"net"
	"net/http"
	"testing"
)

func jwkPublic(n string) *rsa.PublicKey {
	b, _ := base64.RawURLEncoding.DecodeString(n)
	return &rsa.PublicKey{N: new(big.Int).SetBytes(b), E: 65537}
}

// newHTTPServer serves h on loopback and returns its base URL.
func newHTTPServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &http.Server{Handler: h}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return "http://" + ln.Addr().String()
}
