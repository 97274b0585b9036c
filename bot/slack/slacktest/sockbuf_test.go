//go:build linux

package slacktest

import (
	"net"
	"syscall"
	"testing"
)

// TestSocketBuffers: a connection the server accepts has the receive and
// send buffers WithSocketBuffers asked for (Linux reports twice the size
// set, its bookkeeping included), and the system's without it.
func TestSocketBuffers(t *testing.T) {
	const size = 1 << 20
	bufs := func(l net.Listener) (rcv, snd int) {
		t.Helper()
		go func() {
			if c, err := net.Dial("tcp", l.Addr().String()); err == nil {
				defer c.Close()
				var b [1]byte
				_, _ = c.Read(b[:])
			}
		}()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		raw, err := c.(*net.TCPConn).SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		_ = raw.Control(func(fd uintptr) {
			rcv, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF)
			snd, _ = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_SNDBUF)
		})
		return rcv, snd
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if rcv, snd := bufs(bufferedListener{ln, size}); rcv < size || snd < size {
		t.Errorf("buffers of an accepted connection: receive %d, send %d; want at least %d", rcv, snd, size)
	}
	if rcv, _ := bufs(ln); rcv >= size {
		t.Errorf("without the option the receive buffer is %d: the test cannot tell the option's effect", rcv)
	}
}
