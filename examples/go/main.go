// A Go program on libnanomsg through cgo, found by pkg-config as any C
// library is:
//
//	nanomsg-go rep URL COUNT   answers COUNT requests with "<request> pong"
//	nanomsg-go push URL COUNT  pushes COUNT messages "job 1", "job 2", ...
//
// Build: PKG_CONFIG_PATH=<prefix>/lib/pkgconfig go build
package main

/*
#cgo pkg-config: nanomsg
#include <stdlib.h>
#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <nanomsg/pipeline.h>

// NN_MSG is a cast macro, which cgo cannot take as a constant: receive
// through a C wrapper instead.
static int recv_msg(int s, void **chunk) { return nn_recv(s, chunk, NN_MSG, 0); }
*/
import "C"

import (
	"fmt"
	"os"
	"strconv"
	"unsafe"
)

// nnError is a failed call: nn_errno and nn_strerror's text.
type nnError struct {
	call string
	code C.int
}

func (e nnError) Error() string {
	return fmt.Sprintf("%s: %s (errno %d)", e.call, C.GoString(C.nn_strerror(e.code)), int(e.code))
}

func check(call string, rc C.int) (int, error) {
	if rc < 0 {
		return 0, nnError{call, C.nn_errno()}
	}
	return int(rc), nil
}

// send hands nn_send the slice's own bytes: the library copies them before
// it returns, so Go's memory is never kept by C.
func send(s C.int, data []byte) error {
	var p unsafe.Pointer
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	_, err := check("nn_send", C.nn_send(s, p, C.size_t(len(data)), 0))
	return err
}

// recv returns a copy of the next message and frees the library's chunk.
func recv(s C.int) ([]byte, error) {
	var chunk unsafe.Pointer
	n, err := check("nn_recv", C.recv_msg(s, &chunk))
	if err != nil {
		return nil, err
	}
	defer C.nn_freemsg(chunk)
	return C.GoBytes(chunk, C.int(n)), nil
}

func endpoint(s C.int, url string, bind bool) error {
	curl := C.CString(url)
	defer C.free(unsafe.Pointer(curl))
	if bind {
		_, err := check("nn_bind", C.nn_bind(s, curl))
		return err
	}
	_, err := check("nn_connect", C.nn_connect(s, curl))
	return err
}

func serve(s C.int, count int) error {
	for i := 0; i < count; i++ {
		request, err := recv(s)
		if err != nil {
			return err
		}
		if err := send(s, append(request, " pong"...)); err != nil {
			return err
		}
	}
	return nil
}

func push(s C.int, count int) error {
	for i := 1; i <= count; i++ {
		if err := send(s, []byte(fmt.Sprintf("job %d", i))); err != nil {
			return err
		}
	}
	return nil
}

func run(role, url string, count int) error {
	protocol := map[string]C.int{"rep": C.NN_REP, "push": C.NN_PUSH}[role]
	if protocol == 0 {
		return fmt.Errorf("unknown role %q", role)
	}
	s, err := check("nn_socket", C.nn_socket(C.AF_SP, protocol))
	if err != nil {
		return err
	}
	sock := C.int(s)
	// Linger lets the last pushed messages reach the peer before close returns.
	linger := C.int(5000)
	_, err = check("nn_setsockopt", C.nn_setsockopt(sock, C.NN_SOL_SOCKET, C.NN_LINGER,
		unsafe.Pointer(&linger), C.size_t(unsafe.Sizeof(linger))))
	if err != nil {
		return err
	}
	if err := endpoint(sock, url, role == "rep"); err != nil {
		return err
	}
	fmt.Printf("%s on %s\n", role, url)
	if role == "rep" {
		err = serve(sock, count)
	} else {
		err = push(sock, count)
	}
	if err != nil {
		return err
	}
	_, err = check("nn_close", C.nn_close(sock))
	return err
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: nanomsg-go rep|push URL COUNT")
		os.Exit(2)
	}
	count, err := strconv.Atoi(os.Args[3])
	if err == nil {
		err = run(os.Args[1], os.Args[2], count)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("done")
}
