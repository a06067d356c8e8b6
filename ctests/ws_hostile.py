#!/usr/bin/env python3
"""Hostile peers against an nnrs socket bound on ws://: raw TCP clients send
what no WebSocket client should (not HTTP, wrong upgrade requests, oversize
or endless heads, frames that break RFC 6455, connections that vanish or
never speak). Each case checks the exact HTTP status line or close code the
attacker gets, and after every case a well-behaved client is served. The
process's RSS is printed before and after, and must stay bounded.

    ws_hostile.py --lib build/lib/libnanomsg.so.5 --bindings bindings/python/src [CASE ...]
"""
import argparse
import base64
import ctypes
import hashlib
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

ACCEPT_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PROTOCOL = "pair.sp.nanomsg.org"  # the server is a PAIR socket
PATH = "/hostile"
SMALL_PATH = "/small"  # a second socket, NN_RCVMAXSIZE 1000
SMALL_MAX = 1000

CONT, TEXT, BINARY, CLOSE, PING, PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA

nn = None          # the nanomsg_ctypes package, once loaded
PORT = 0
SERVER = None      # PAIR bound at PATH
SMALL = None       # PAIR bound at SMALL_PATH


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def expect_eq(got, want, what):
    if got != want:
        raise Failure("%s: got %.120r, want %.120r" % (what, got, want))


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def url(path=PATH):
    return "ws://127.0.0.1:%d%s" % (PORT, path)


# ---------------------------------------------------------------- raw peers

class Raw:
    """A raw TCP connection to the server's port, read through a buffer."""

    def __init__(self, timeout=3.0, nodelay=False):
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
        if nodelay:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.eof = False

    def send(self, data):
        """Sends what the server takes; it may drop us half-way."""
        try:
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            return False

    def fill(self):
        """Reads more; False at EOF (a reset counts as EOF)."""
        if self.eof:
            return False
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        except socket.timeout:
            raise Failure("no answer within %.1f s (have %r)" % (self.sock.gettimeout(), self.buf[:80]))
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def take(self, n):
        while len(self.buf) < n:
            if not self.fill():
                raise Failure("connection closed after %d of %d bytes" % (len(self.buf), n))
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def head(self):
        """The HTTP answer's head: (status line, {lower-case name: value})."""
        while b"\r\n\r\n" not in self.buf:
            if not self.fill():
                raise Failure("connection closed before an HTTP answer (have %r)" % self.buf[:80])
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        return lines[0], fields

    def closed_after(self):
        """Whether the server closes the connection with nothing more sent."""
        while self.fill():
            pass
        return self.buf == b""

    def frame(self):
        """The next frame from the server: (fin, rsv, opcode, payload)."""
        b0, b1 = self.take(2)
        expect(b1 & 0x80 == 0, "a server frame is masked")
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self.take(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self.take(8))[0]
        return bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, self.take(n)

    def close(self):
        self.sock.close()


def key():
    return base64.b64encode(os.urandom(16)).decode()


def accept_of(k):
    return base64.b64encode(hashlib.sha1(k.encode() + ACCEPT_GUID).digest()).decode()


def request(path=PATH, k=None, protocol=PROTOCOL, version="13", upgrade=True, extra=""):
    lines = ["GET %s HTTP/1.1" % path, "Host: 127.0.0.1:%d" % PORT]
    if upgrade:
        lines += ["Upgrade: websocket", "Connection: Upgrade"]
    lines.append("Sec-WebSocket-Key: %s" % (k or key()))
    if version is not None:
        lines.append("Sec-WebSocket-Version: %s" % version)
    if protocol is not None:
        lines.append("Sec-WebSocket-Protocol: %s" % protocol)
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


def frame(opcode, payload=b"", fin=True, rsv=0, masked=True, length=None):
    """A frame as a client sends it (masked unless told); `length` lies."""
    n = len(payload) if length is None else length
    out = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    mask_bit = 0x80 if masked else 0
    if n < 126:
        out += bytes([mask_bit | n])
    elif n < 65536:
        out += bytes([mask_bit | 126]) + struct.pack(">H", n)
    else:
        out += bytes([mask_bit | 127]) + struct.pack(">Q", n)
    if masked:
        m = os.urandom(4)
        out += m + bytes(b ^ m[i % 4] for i, b in enumerate(payload))
    else:
        out += payload
    return out


def upgraded(path=PATH, timeout=3.0, nodelay=False):
    """A raw client whose upgrade the server accepted."""
    raw = Raw(timeout, nodelay)
    k = key()
    raw.send(request(path, k))
    status, fields = raw.head()
    expect_eq(status, "HTTP/1.1 101 Switching Protocols", "upgrade answer")
    expect_eq(fields.get("sec-websocket-accept"), accept_of(k), "Sec-WebSocket-Accept")
    expect_eq(fields.get("sec-websocket-protocol"), PROTOCOL, "Sec-WebSocket-Protocol")
    return raw


def refused_with(data, status, timeout=3.0):
    """Sends `data` and checks the status line, then that the server closes."""
    raw = Raw(timeout)
    raw.send(data)
    got, fields = raw.head()
    expect_eq(got, status, "status line")
    expect(raw.closed_after(), "the connection stays open after %r" % status)
    raw.close()
    return fields


def closed_with(raw, code):
    """The server's next frame is a close with `code`, then it hangs up."""
    fin, rsv, opcode, payload = raw.frame()
    expect_eq((fin, rsv, opcode), (True, 0, CLOSE), "frame (fin, rsv, opcode)")
    expect(len(payload) >= 2, "close frame without a code: %r" % payload)
    expect_eq(struct.unpack(">H", payload[:2])[0], code, "close code")
    expect(raw.closed_after(), "the connection stays open after the close frame")
    raw.close()


def frame_closes(data, code):
    """Sends `data` on a fresh upgraded connection; the server answers with
    a close frame with `code`, then hangs up."""
    raw = upgraded()
    raw.send(data)
    closed_with(raw, code)


# ------------------------------------------------------------ nnrs helpers

def stat(sock, which):
    return nn._loaded.lib.nn_get_statistic(sock.id, getattr(nn, which))


def wait_for(cond, seconds=3.0):
    end = time.monotonic() + seconds
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def server_idle(server=None):
    """Waits for the server to have no connection left."""
    server = server or SERVER
    expect(wait_for(lambda: stat(server, "NN_STAT_CURRENT_CONNECTIONS") == 0),
           "the server still has %d connection(s)" % stat(server, "NN_STAT_CURRENT_CONNECTIONS"))


def nnrs_client_served(path=PATH, server=None):
    """A second nnrs socket connects, and a round trip works; returns the
    seconds it took."""
    server = server or SERVER
    started = time.monotonic()
    with nn.Socket(nn.NN_PAIR) as client:
        for s in (client,):
            s.setsockopt(nn.NN_SOL_SOCKET, nn.NN_RCVTIMEO, 3000)
            s.setsockopt(nn.NN_SOL_SOCKET, nn.NN_SNDTIMEO, 3000)
        client.connect(url(path))
        word = b"good %d" % random.randrange(1 << 30)
        client.send(word)
        expect_eq(server.recv(), word, "message from a good client")
        server.send(word[::-1])
        expect_eq(client.recv(), word[::-1], "answer to a good client")
        took = time.monotonic() - started
    server_idle(server)
    return took


def raw_client_served():
    """A raw WebSocket client (masking its frames) is served both ways."""
    raw = upgraded()
    word = os.urandom(100)
    raw.send(frame(BINARY, word))
    expect_eq(SERVER.recv(), word, "message from a raw client")
    SERVER.send(word[::-1])
    expect_eq(raw.frame(), (True, 0, BINARY, word[::-1]), "answer to a raw client")
    raw.send(frame(CLOSE, struct.pack(">H", 1000)))
    closed_with(raw, 1000)
    server_idle()


def served():
    server_idle()
    nnrs_client_served()


# ------------------------------------------------- not HTTP, bad requests

def test_tls_hello():
    """A TLS ClientHello: not HTTP."""
    hello = bytes.fromhex("16030100a5010000a10303") + os.urandom(32) + bytes.fromhex(
        "000020c02bc02fc02cc030cca9cca8c013c014009c009d002f0035c012000a01000058")
    refused_with(hello, "HTTP/1.1 400 Bad Request")
    served()


def test_random_bytes():
    rnd = random.Random(7)
    junk = bytes(rnd.randrange(256) for _ in range(4096))
    refused_with(junk, "HTTP/1.1 400 Bad Request")
    served()


def test_random_line():
    """Random bytes in a head that ends like one."""
    rnd = random.Random(11)
    junk = bytes(rnd.randrange(1, 256) for _ in range(300)).replace(b"\r", b"").replace(b"\n", b"")
    refused_with(junk + b"\r\n\r\n", "HTTP/1.1 400 Bad Request")
    served()


def test_not_get():
    refused_with(request().replace(b"GET ", b"POST ", 1), "HTTP/1.1 400 Bad Request")
    refused_with(request().replace(b"HTTP/1.1", b"HTTP/1.0", 1), "HTTP/1.1 400 Bad Request")
    refused_with(request().replace(b"GET /", b"GET  /", 1), "HTTP/1.1 400 Bad Request")
    refused_with(request().replace(b"GET /", b"GET http://127.0.0.1/", 1), "HTTP/1.1 400 Bad Request")
    served()


def test_bad_header_lines():
    refused_with(request(extra="No colon here\r\n"), "HTTP/1.1 400 Bad Request")
    refused_with(request(extra="Bad Name: x\r\n"), "HTTP/1.1 400 Bad Request")
    refused_with(request(extra=": no name\r\n"), "HTTP/1.1 400 Bad Request")
    refused_with(request()[:-2] + b"X-Bin: \xff\xfe\x00\r\n\r\n", "HTTP/1.1 400 Bad Request")
    served()


def test_request_variants():
    """What a lenient server must take: header names in any case, more
    tokens in Connection, a query, several subprotocols offered, frames
    sent with the request."""
    raw = Raw()
    k = key()
    raw.send(request(k=k, protocol="chat, pair.sp.nanomsg.org", path=PATH + "?x=1")
             .replace(b"Connection: Upgrade", b"connection: keep-alive, UPGRADE")
             .replace(b"Upgrade: websocket", b"UPGRADE: WebSocket") + frame(BINARY, b"early"))
    status, fields = raw.head()
    expect_eq(status, "HTTP/1.1 101 Switching Protocols", "status line")
    expect_eq(fields.get("sec-websocket-accept"), accept_of(k), "Sec-WebSocket-Accept")
    expect_eq(fields.get("sec-websocket-protocol"), PROTOCOL, "Sec-WebSocket-Protocol")
    expect_eq(SERVER.recv(), b"early", "a frame sent with the request")
    raw.close()
    served()


def test_no_upgrade():
    refused_with(request(upgrade=False), "HTTP/1.1 400 Bad Request")
    served()


def test_wrong_subprotocol():
    refused_with(request(protocol="req.sp.nanomsg.org"), "HTTP/1.1 400 Incompatible Socket Type")
    served()


def test_missing_subprotocol():
    refused_with(request(protocol=None), "HTTP/1.1 400 Incompatible Socket Type")
    served()


def test_wrong_version():
    fields = refused_with(request(version="8"), "HTTP/1.1 426 Upgrade Required")
    expect_eq(fields.get("sec-websocket-version"), "13", "Sec-WebSocket-Version of the 426")
    refused_with(request(version=None), "HTTP/1.1 426 Upgrade Required")
    served()


def test_bad_key():
    refused_with(request(k="not base64 at all!"), "HTTP/1.1 400 Bad Request")
    refused_with(request(k=base64.b64encode(os.urandom(15)).decode()), "HTTP/1.1 400 Bad Request")
    refused_with(request(k=base64.b64encode(os.urandom(17)).decode()), "HTTP/1.1 400 Bad Request")
    served()


def test_unknown_path():
    refused_with(request(path="/nobody-here"), "HTTP/1.1 404 Not Found")
    refused_with(request(path=PATH + "/"), "HTTP/1.1 404 Not Found")
    refused_with(request(path="/"), "HTTP/1.1 404 Not Found")
    served()


def test_oversize_head():
    refused_with(request(extra="X-Big: %s\r\n" % ("a" * 9000)), "HTTP/1.1 431 Request Header Fields Too Large")
    # Just under the limit is fine.
    body = request()
    pad = 8192 - len(body) - len("X-Pad: \r\n")
    raw = Raw()
    raw.send(request(extra="X-Pad: %s\r\n" % ("p" * pad)))
    expect_eq(raw.head()[0], "HTTP/1.1 101 Switching Protocols", "a head of exactly 8192 bytes")
    raw.close()
    served()


def test_too_many_headers():
    # The request has 6 header lines of its own.
    many = "".join("X-%d: y\r\n" % i for i in range(59))
    refused_with(request(extra=many), "HTTP/1.1 431 Request Header Fields Too Large")
    raw = Raw()
    raw.send(request(extra="".join("X-%d: y\r\n" % i for i in range(58))))
    expect_eq(raw.head()[0], "HTTP/1.1 101 Switching Protocols", "a head of exactly 64 header lines")
    raw.close()
    served()


def test_slowloris():
    """Endless headers, a byte every 0.2 s: 408 after about 2 s, while a
    good client is served at once."""
    result = {}

    def loris():
        raw = Raw(timeout=6)
        started = time.monotonic()
        data = request()[:-2] + b"X-Endless: " + b"z" * 1000
        for b in data:
            if not raw.send(bytes([b])):
                break
            raw.sock.settimeout(0.2)
            try:
                if raw.fill() is False or b"\r\n\r\n" in raw.buf:
                    break
            except Failure:
                pass
            if time.monotonic() - started > 5:
                break
        raw.sock.settimeout(6)
        try:
            result["status"] = raw.head()[0]
            result["closed"] = raw.closed_after()
        except Failure as e:
            result["error"] = str(e)
        result["after"] = time.monotonic() - started
        raw.close()

    thread = threading.Thread(target=loris)
    thread.start()
    time.sleep(0.5)
    took = nnrs_client_served()
    thread.join(10)
    expect(took < 0.5, "a good client waited %.2f s beside the slow one" % took)
    expect("error" not in result, result.get("error"))
    expect_eq(result.get("status"), "HTTP/1.1 408 Request Timeout", "status line")
    expect(result["closed"], "the connection stays open after the 408")
    expect(1.7 <= result["after"] <= 3.0, "408 after %.2f s, want about 2 s" % result["after"])
    served()


def test_head_split_in_bytes():
    """A request sent a byte at a time (within the deadline) is accepted."""
    raw = Raw(nodelay=True)
    for b in request():
        raw.send(bytes([b]))
        time.sleep(0.002)
    expect_eq(raw.head()[0], "HTTP/1.1 101 Switching Protocols", "status line")
    raw.close()
    served()


# --------------------------------------------------------- broken frames

def test_unmasked_frame():
    frame_closes(frame(BINARY, b"bare", masked=False), 1002)
    served()


def test_reserved_bit():
    for rsv in (4, 2, 1):
        frame_closes(frame(BINARY, b"rsv", rsv=rsv), 1002)
    served()


def test_unknown_opcode():
    for opcode in (0x3, 0x7, 0xB, 0xF):
        frame_closes(frame(opcode, b"what"), 1002)
    served()


def test_long_ping():
    frame_closes(frame(PING, b"p" * 126), 1002)
    frame_closes(frame(CLOSE, b"c" * 200), 1002)
    served()


def test_bad_lengths():
    """A 64-bit length with its top bit set; a close with a 1-byte payload."""
    frame_closes(bytes([0x82, 0xFF]) + struct.pack(">Q", 1 << 63) + os.urandom(4), 1002)
    frame_closes(frame(CLOSE, b"\x03"), 1002)
    served()


def test_fragmented_ping():
    frame_closes(frame(PING, b"half", fin=False), 1002)
    served()


def test_continuation_without_start():
    frame_closes(frame(CONT, b"orphan"), 1002)
    served()


def test_new_message_inside_fragments():
    frame_closes(frame(BINARY, b"first", fin=False) + frame(BINARY, b"second"), 1002)
    served()


def test_invalid_utf8():
    frame_closes(frame(TEXT, b"bad \xc3\x28 text"), 1007)
    # Split over fragments, the check applies to the whole message.
    frame_closes(frame(TEXT, b"\xe2\x82", fin=False) + frame(CONT, b"x"), 1007)
    # Valid UTF-8 split inside a character is fine.
    raw = upgraded()
    raw.send(frame(TEXT, "€uro".encode()[:2], fin=False) + frame(CONT, "€uro".encode()[2:]))
    expect_eq(SERVER.recv(), "€uro".encode(), "a text message split inside a character")
    raw.close()
    served()


def test_over_rcvmaxsize():
    """On the socket whose NN_RCVMAXSIZE is 1000: a frame over it, a length
    of 2^40 (the header alone), and fragments that add up to too much."""
    raw = upgraded(SMALL_PATH)
    raw.send(frame(BINARY, b"m" * SMALL_MAX))
    expect_eq(len(SMALL.recv()), SMALL_MAX, "a message of exactly NN_RCVMAXSIZE")
    raw.send(frame(BINARY, b"m" * (SMALL_MAX + 1)))
    closed_with(raw, 1009)
    raw = upgraded(SMALL_PATH)
    raw.send(frame(BINARY, b"", length=1 << 40)[:-4] + os.urandom(4))
    closed_with(raw, 1009)
    raw = upgraded(SMALL_PATH)
    raw.send(frame(BINARY, b"f" * 600, fin=False) + frame(CONT, b"f" * 600))
    closed_with(raw, 1009)
    # The other socket keeps the default limit, 1 MiB.
    frame_closes(frame(BINARY, b"", length=(1 << 20) + 1)[:-4] + os.urandom(4), 1009)
    server_idle(SMALL)
    nnrs_client_served(SMALL_PATH, SMALL)
    served()


# ---------------------------------------------------------- good frames

def test_ping():
    raw = upgraded()
    raw.send(frame(PING, b"are you there"))
    expect_eq(raw.frame(), (True, 0, PONG, b"are you there"), "answer to a ping")
    raw.send(frame(PING, b""))
    expect_eq(raw.frame(), (True, 0, PONG, b""), "answer to an empty ping")
    raw.send(frame(PING, b"x" * 125))
    expect_eq(raw.frame(), (True, 0, PONG, b"x" * 125), "answer to a 125-byte ping")
    # The connection still carries messages, and a pong is ignored.
    raw.send(frame(PONG, b"unasked") + frame(BINARY, b"after pings"))
    expect_eq(SERVER.recv(), b"after pings", "message after pings")
    raw.send(frame(CLOSE, struct.pack(">H", 1000)))
    closed_with(raw, 1000)
    served()


def test_close():
    frame_closes(frame(CLOSE, struct.pack(">H", 1000) + b"bye"), 1000)
    frame_closes(frame(CLOSE, struct.pack(">H", 4001)), 4001)
    raw = upgraded()
    raw.send(frame(CLOSE))
    fin, rsv, opcode, payload = raw.frame()
    expect_eq((fin, rsv, opcode, payload), (True, 0, CLOSE, b""), "echo of a close without a code")
    expect(raw.closed_after(), "the connection stays open after the close")
    raw.close()
    # Our own close: the server's socket goes away, the client hears 1000.
    with nn.Socket(nn.NN_PAIR) as extra:
        extra.bind(url("/closing"))
        raw = upgraded("/closing")
        expect(wait_for(lambda: stat(extra, "NN_STAT_CURRENT_CONNECTIONS") == 1), "no connection at /closing")
    closed_with(raw, 1000)
    served()


def test_fragmented_message():
    """Three frames (a ping between them) make one SP message."""
    raw = upgraded()
    raw.send(frame(BINARY, b"frag", fin=False) + frame(CONT, b"ment", fin=False))
    raw.send(frame(PING, b"mid"))
    expect_eq(raw.frame(), (True, 0, PONG, b"mid"), "pong between fragments")
    raw.send(frame(CONT, b"ed"))
    expect_eq(SERVER.recv(), b"fragmented", "reassembled message")
    raw.send(frame(BINARY, b"next"))
    expect_eq(SERVER.recv(), b"next", "the message after")
    raw.close()
    served()


def test_tiny_writes():
    """A frame (and then a large one) split over many one-byte writes."""
    raw = upgraded(nodelay=True)
    payload = os.urandom(300)
    for b in frame(BINARY, payload):
        raw.send(bytes([b]))
        time.sleep(0.001)
    expect_eq(SERVER.recv(), payload, "message sent a byte at a time")
    big = os.urandom(200000)
    data = frame(BINARY, big)
    for at in range(0, len(data), 997):
        raw.send(data[at:at + 997])
    expect_eq(SERVER.recv(), big, "message sent in 997-byte writes")
    raw.close()
    served()


def test_vanish_mid_frame():
    """The peer goes away inside a frame header, inside a payload (orderly
    and by reset), and inside its upgrade request."""
    for cut in (1, 7):
        raw = upgraded()
        raw.send(frame(BINARY, b"z" * 1000)[:cut])
        raw.close()
        served()
    raw = upgraded()
    raw.send(frame(BINARY, b"z" * 100000)[:50000])
    raw.close()
    served()
    raw = upgraded()
    raw.send(frame(BINARY, b"z" * 1000)[:500])
    reset(raw)
    served()
    raw = Raw()
    raw.send(request()[:40])
    raw.close()
    served()
    expect_eq(stat(SERVER, "NN_STAT_CURRENT_CONNECTIONS"), 0, "connections left")


def reset(raw):
    """Closes with a reset instead of a FIN."""
    raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raw.close()


def test_ping_then_reset():
    """A ping, then a reset before the pong can be written, many times."""
    for _ in range(50):
        raw = upgraded()
        raw.send(frame(PING, b"gone"))
        reset(raw)
        served()


def test_close_then_reset():
    """A close, then a reset before the echo can be written, many times."""
    for _ in range(50):
        raw = upgraded()
        raw.send(frame(CLOSE, struct.pack(">H", 1000)))
        reset(raw)
        served()


def test_bad_frame_then_reset():
    """A frame that earns a close code, then a reset before the close frame
    can be written, many times."""
    for _ in range(50):
        raw = upgraded()
        raw.send(frame(BINARY, b"bare", masked=False))
        reset(raw)
        served()


def test_half_open():
    """200 connections that never send a byte: a good client is served
    at once, and each of them gets 408 at the 2 s deadline."""
    started = time.monotonic()
    idle = [Raw(timeout=5) for _ in range(200)]
    took = nnrs_client_served()
    expect(took < 0.5, "a good client waited %.2f s beside 200 idle connections" % took)
    raw_client_served()
    answered = 0
    for raw in idle:
        status, _ = raw.head()
        expect_eq(status, "HTTP/1.1 408 Request Timeout", "status line")
        expect(raw.closed_after(), "an idle connection stays open after the 408")
        answered += 1
        raw.close()
    after = time.monotonic() - started
    expect_eq(answered, 200, "idle connections answered")
    expect(1.7 <= after <= 4.0, "the last 408 came after %.2f s" % after)
    served()


def test_frame_types():
    """Messages from the server are binary frames, text ones when
    NN_WS_MSG_TYPE says so (by option, or per message by nn_sendmsg)."""
    raw = upgraded()
    SERVER.send(b"binary")
    expect_eq(raw.frame(), (True, 0, BINARY, b"binary"), "a message by default")
    raw.close()
    server_idle()
    with nn.Socket(nn.NN_PAIR) as text:
        text.setsockopt(nn.NN_SOL_SOCKET, nn.NN_SNDTIMEO, 3000)
        text.setsockopt(nn.NN_WS, nn.NN_WS_MSG_TYPE, nn.NN_WS_MSG_TYPE_TEXT)
        text.bind(url("/text"))
        raw = upgraded("/text")
        expect(wait_for(lambda: stat(text, "NN_STAT_CURRENT_CONNECTIONS") == 1), "no connection at /text")
        text.send(b"text")
        expect_eq(raw.frame(), (True, 0, TEXT, b"text"), "a message with NN_WS_MSG_TYPE text")
        expect_eq(sendmsg_typed(text, b"binary again", nn.NN_WS_MSG_TYPE_BINARY), 12, "nn_sendmsg")
        expect_eq(raw.frame(), (True, 0, BINARY, b"binary again"), "a message sent as binary")
        raw.close()
    served()


class IoVec(ctypes.Structure):
    _fields_ = [("iov_base", ctypes.c_void_p), ("iov_len", ctypes.c_size_t)]


class MsgHdr(ctypes.Structure):
    _fields_ = [("msg_iov", ctypes.POINTER(IoVec)), ("msg_iovlen", ctypes.c_int),
                ("msg_control", ctypes.c_void_p), ("msg_controllen", ctypes.c_size_t)]


def sendmsg_typed(sock, data, ws_type):
    """nn_sendmsg with an NN_WS/NN_WS_MSG_TYPE control message."""
    lib = nn._loaded.lib
    lib.nn_sendmsg.restype = ctypes.c_int
    lib.nn_sendmsg.argtypes = [ctypes.c_int, ctypes.POINTER(MsgHdr), ctypes.c_int]
    body = ctypes.create_string_buffer(data, len(data))
    iov = IoVec(ctypes.cast(body, ctypes.c_void_p), len(data))
    align = ctypes.sizeof(ctypes.c_size_t)
    header_space = (ctypes.sizeof(ctypes.c_size_t) + 8 + align - 1) // align * align
    control = struct.pack("@Nii", header_space + 4, nn.NN_WS, nn.NN_WS_MSG_TYPE)
    control = control.ljust(header_space, b"\0") + struct.pack("@i", ws_type)
    control = control.ljust((len(control) + align - 1) // align * align, b"\0")
    cbuf = ctypes.create_string_buffer(control, len(control))
    hdr = MsgHdr(ctypes.pointer(iov), 1, ctypes.cast(cbuf, ctypes.c_void_p), len(control))
    return nn._loaded.check(lib.nn_sendmsg(sock.id, ctypes.byref(hdr), 0))


# -------------------------------------------------------------- running

def memory_bounded(rounds=200):
    """Many short attacks in a row, for the memory check."""
    for i in range(rounds):
        raw = Raw()
        raw.send([request(version="7"), request(path="/x"), b"\x16\x03\x01" + os.urandom(200) + b"\r\n\r\n",
                  request(extra="X-Big: %s\r\n" % ("a" * 9000))][i % 4])
        raw.head()
        raw.close()
        frame_closes(frame(BINARY, b"q" * 200, rsv=(i % 7) + 1), 1002)
        server_idle()


CASES = [
    test_tls_hello, test_random_bytes, test_random_line, test_not_get, test_bad_header_lines,
    test_request_variants, test_no_upgrade,
    test_wrong_subprotocol, test_missing_subprotocol, test_wrong_version, test_bad_key,
    test_unknown_path, test_oversize_head, test_too_many_headers, test_slowloris,
    test_head_split_in_bytes,
    test_unmasked_frame, test_reserved_bit, test_unknown_opcode, test_long_ping, test_bad_lengths,
    test_fragmented_ping, test_continuation_without_start, test_new_message_inside_fragments,
    test_invalid_utf8, test_over_rcvmaxsize,
    test_ping, test_close, test_fragmented_message, test_tiny_writes, test_vanish_mid_frame,
    test_half_open, test_frame_types,
]
# Run last, after the memory check: when these fail, the library may have
# stopped serving anyone.
LAST_CASES = [test_ping_then_reset, test_close_then_reset, test_bad_frame_then_reset]


def main():
    global nn, PORT, SERVER, SMALL
    p = argparse.ArgumentParser()
    p.add_argument("--lib", required=True, help="the nnrs shared library")
    p.add_argument("--bindings", required=True, help="bindings/python/src")
    p.add_argument("cases", nargs="*", help="run only these (names without test_)")
    args = p.parse_args()
    os.environ["NNRS_LIBRARY"] = os.path.abspath(args.lib)
    sys.path.insert(0, os.path.abspath(args.bindings))
    import nanomsg_ctypes
    import nanomsg_ctypes._loaded
    nn = nanomsg_ctypes
    nn._loaded.lib.nn_get_statistic.restype = ctypes.c_uint64
    nn._loaded.lib.nn_get_statistic.argtypes = [ctypes.c_int, ctypes.c_int]

    # Whatever goes wrong, the run ends in time.
    signal.signal(signal.SIGALRM, lambda *_: (print("ws_hostile: timed out", flush=True), os._exit(2)))
    signal.alarm(55)

    PORT = 20000 + (os.getpid() % 500) * 20 + 10
    chosen = [c.__name__[5:] for c in CASES + LAST_CASES] if not args.cases else args.cases
    unknown = set(chosen) - set(c.__name__[5:] for c in CASES + LAST_CASES)
    if unknown:
        p.error("no such case: %s" % " ".join(sorted(unknown)))
    failed = []

    def run(case):
        started = time.monotonic()
        try:
            case()
            outcome = "ok"
        except Exception as e:  # a failed check or anything unexpected
            outcome = "FAILED: %s: %s" % (type(e).__name__, e)
            failed.append(case.__name__)
        # Whatever happened, a good client must be served after it.
        try:
            served()
        except Exception as e:
            outcome += "; then NOT SERVED: %s: %s" % (type(e).__name__, e)
            if case.__name__ not in failed:
                failed.append(case.__name__)
        print("%-36s %5.2f s  %s" % (case.__name__, time.monotonic() - started, outcome), flush=True)

    with nn.Socket(nn.NN_PAIR) as server, nn.Socket(nn.NN_PAIR) as small:
        for s in (server, small):
            s.setsockopt(nn.NN_SOL_SOCKET, nn.NN_RCVTIMEO, 3000)
            s.setsockopt(nn.NN_SOL_SOCKET, nn.NN_SNDTIMEO, 3000)
        small.setsockopt(nn.NN_SOL_SOCKET, nn.NN_RCVMAXSIZE, SMALL_MAX)
        server.bind(url(PATH))
        small.bind(url(SMALL_PATH))
        SERVER, SMALL = server, small
        served()
        rss_before = rss_kib()
        for case in CASES:
            if case.__name__[5:] in chosen:
                run(case)
        if not args.cases:
            rss_cases = rss_kib()
            run(memory_bounded)
            rss_after = rss_kib()
            print("RSS: %d KiB before the cases, %d KiB after them, %d KiB after 200 more attacks"
                  % (rss_before, rss_cases, rss_after), flush=True)
            if rss_after - rss_cases > 16 * 1024 or rss_after - rss_before > 64 * 1024:
                print("RSS grew too much")
                failed.append("memory")
        if args.cases:
            for case in LAST_CASES:
                if case.__name__[5:] in chosen:
                    run(case)
    if not args.cases:
        # Each in a process of its own, so that one that stops the
        # library's I/O does not decide the others.
        for case in LAST_CASES:
            started = time.monotonic()
            child = subprocess.run([sys.executable, os.path.abspath(__file__), "--lib", args.lib,
                                    "--bindings", args.bindings, case.__name__[5:]],
                                   capture_output=True, text=True, timeout=20)
            lines = [l for l in child.stdout.splitlines() if l.startswith(case.__name__)]
            outcome = lines[0].split(" s  ", 1)[-1] if lines else (child.stdout + child.stderr).strip()
            if child.returncode != 0:
                failed.append(case.__name__)
            print("%-36s %5.2f s  %s (own process)" % (case.__name__, time.monotonic() - started, outcome),
                  flush=True)
    if failed:
        print("ws_hostile: %d failed: %s" % (len(failed), " ".join(failed)))
        return 1
    print("ws_hostile: ok (%d cases)" % len(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
