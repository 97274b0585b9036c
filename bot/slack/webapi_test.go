package slack

import (
	"testing"
)

func TestWebAPITransportKeepsConnectionsForConcurrentCalls(t *testing.T) {
	tr := webAPITransport()
	if tr.MaxIdleConnsPerHost < 32 || tr.MaxIdleConns < tr.MaxIdleConnsPerHost {
		t.Fatalf("idle connections kept: %d per host, %d in all; want ≥ 32 per host", tr.MaxIdleConnsPerHost, tr.MaxIdleConns)
	}
	if tr.Proxy == nil || tr.TLSHandshakeTimeout == 0 {
		t.Fatal("the transport must keep the default's proxy and timeouts")
	}
}
