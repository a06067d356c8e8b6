//! nnrs's own WebSocket codec against tungstenite, on the same bytes:
//! decoding a stream of frames into messages (server role: masked frames;
//! client role: unmasked) and encoding messages into frames, 64 B, 1 KiB
//! and 64 KiB. Before the timings it prints, for each case, the heap
//! allocations per message (a counting global allocator) and the bytes
//! read from the connection. `cargo bench --bench ws_vs_tungstenite`.
//!
//! Three decoders:
//! - `nnrs`: the connection's read path over `wire::ws_decoder::Decoder`
//!   (64 KiB reads; a payload of 16 KiB or more read straight into the
//!   message's own pooled buffer, unmasked in place), each message ending
//!   as the `Msg` the socket queues;
//! - `tungstenite`: `WebSocket::from_raw_socket` over the same in-memory
//!   connection, `read()` until every message is in (default config);
//! - `tungstenite_to_msg`: the same, each message then copied into the
//!   `Msg` (a `Body` with headroom) that nnrs would need to queue it,
//!   which is what using tungstenite inside nnrs would cost.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};

use criterion::{BenchmarkId, Criterion, Throughput};
use nanomsg::core::msg::{Body, Msg};
use tungstenite::protocol::{Role, WebSocket};
use tungstenite::{Bytes, Message};

use common::{frame_stream, frames_for, payload, send_frame, Reader, Wire, HEADROOM, SIZES};

/// Counts heap allocations while `COUNTING` is set.
struct CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static ALLOC_BYTES: AtomicU64 = AtomicU64::new(0);
static REALLOCS: AtomicU64 = AtomicU64::new(0);
static MOVED_BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
            ALLOC_BYTES.fetch_add(layout.size() as u64, Relaxed);
        }
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
            ALLOC_BYTES.fetch_add(layout.size() as u64, Relaxed);
        }
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let out = System.realloc(ptr, layout, new_size);
        if COUNTING.load(Relaxed) {
            REALLOCS.fetch_add(1, Relaxed);
            ALLOC_BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Relaxed);
            if out != ptr {
                MOVED_BYTES.fetch_add(layout.size().min(new_size) as u64, Relaxed);
            }
        }
        out
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// What one pass cost, per message.
struct Cost {
    allocs: f64,
    alloc_bytes: f64,
    reallocs: f64,
    moved: f64,
    wire_read: f64,
    wire_written: f64,
}

/// Runs `pass` twice (the first warms buffers and pools up) and counts
/// the second; `pass` returns (bytes read from, bytes written to the wire).
fn count(n: usize, mut pass: impl FnMut() -> (usize, usize)) -> Cost {
    pass();
    for c in [&ALLOCS, &ALLOC_BYTES, &REALLOCS, &MOVED_BYTES] {
        c.store(0, Relaxed);
    }
    COUNTING.store(true, Relaxed);
    let (read, written) = pass();
    COUNTING.store(false, Relaxed);
    let per = |v: u64| v as f64 / n as f64;
    Cost {
        allocs: per(ALLOCS.load(Relaxed)),
        alloc_bytes: per(ALLOC_BYTES.load(Relaxed)),
        reallocs: per(REALLOCS.load(Relaxed)),
        moved: per(MOVED_BYTES.load(Relaxed)),
        wire_read: read as f64 / n as f64,
        wire_written: written as f64 / n as f64,
    }
}

fn tungstenite_socket(input: Vec<u8>, server: bool) -> WebSocket<Wire> {
    let role = if server { Role::Server } else { Role::Client };
    WebSocket::from_raw_socket(Wire::new(input), role, None)
}

/// Reads `n` messages of `size` bytes from tungstenite; `keep` takes each.
fn tungstenite_read(ws: &mut WebSocket<Wire>, n: usize, size: usize, mut keep: impl FnMut(Bytes)) {
    ws.get_mut().rewind();
    for _ in 0..n {
        match ws.read().expect("valid stream") {
            Message::Binary(bytes) => {
                debug_assert_eq!(bytes.len(), size);
                keep(bytes);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    debug_assert_eq!(ws.get_ref().pos, ws.get_ref().input.len());
}

/// The message nnrs queues, made from tungstenite's bytes.
fn to_msg(bytes: &[u8]) -> Msg {
    Msg::new(Body::copy_from(bytes, HEADROOM).expect("memory"))
}

fn our_read(reader: &mut Reader, wire: &mut Wire, n: usize) {
    wire.rewind();
    let got = reader.drain(wire, |m| {
        black_box(m);
    });
    assert_eq!(got, n);
}

fn our_write(wire: &mut Wire, body: &[u8], n: usize, client: bool) {
    wire.rewind();
    let mut state = 0x1234_5678_9ABC_DEF1u64;
    for _ in 0..n {
        send_frame(wire, body, client.then_some(&mut state));
    }
}

fn tungstenite_write(ws: &mut WebSocket<Wire>, body: &Bytes, n: usize) {
    ws.get_mut().rewind();
    for _ in 0..n {
        ws.write(Message::Binary(body.clone())).expect("in memory");
    }
    ws.flush().expect("in memory");
}

/// Prints the allocation table (markdown) before the timings.
fn allocation_report() {
    println!("\n## Allocations and bytes moved per message (one counted pass after a warm-up pass)\n");
    println!("| work | role | size | codec | allocs/msg | bytes allocated/msg | reallocs/msg | bytes moved by realloc/msg | bytes read from the wire/msg | bytes written to the wire/msg |");
    println!("|---|---|---|---|---:|---:|---:|---:|---:|---:|");
    let row = |work: &str, role: &str, size: &str, codec: &str, c: Cost| {
        println!(
            "| {work} | {role} | {size} | {codec} | {:.2} | {:.0} | {:.2} | {:.0} | {:.0} | {:.0} |",
            c.allocs, c.alloc_bytes, c.reallocs, c.moved, c.wire_read, c.wire_written
        );
    };
    for (size, name) in SIZES {
        let n = frames_for(size);
        for (server, role) in [(true, "server (masked in)"), (false, "client (unmasked in)")] {
            let stream = frame_stream(size, n, server);
            let mut wire = Wire::new(stream.clone());
            let mut reader = Reader::new(server);
            row("decode", role, name, "nnrs", count(n, || {
                our_read(&mut reader, &mut wire, n);
                (wire.pos, 0)
            }));
            let mut ws = tungstenite_socket(stream.clone(), server);
            row("decode", role, name, "tungstenite", count(n, || {
                tungstenite_read(&mut ws, n, size, |b| {
                    black_box(b);
                });
                (ws.get_ref().pos, 0)
            }));
            let mut ws = tungstenite_socket(stream, server);
            row("decode", role, name, "tungstenite_to_msg", count(n, || {
                tungstenite_read(&mut ws, n, size, |b| {
                    black_box(to_msg(&b));
                });
                (ws.get_ref().pos, 0)
            }));
        }
        let body = payload(size);
        let shared = Bytes::from(body.clone());
        for (client, role) in [(false, "server (unmasked out)"), (true, "client (masked out)")] {
            let mut wire = Wire::default();
            row("encode", role, name, "nnrs", count(n, || {
                our_write(&mut wire, &body, n, client);
                (0, wire.output.len())
            }));
            let mut ws = tungstenite_socket(Vec::new(), !client);
            row("encode", role, name, "tungstenite", count(n, || {
                tungstenite_write(&mut ws, &shared, n);
                (0, ws.get_ref().output.len())
            }));
        }
    }
    println!("\n## nnrs decode: bytes copied in user space per payload byte (besides the read from the wire)\n");
    println!("| role | size | copied/msg | per payload byte |");
    println!("|---|---|---:|---:|");
    for (size, name) in SIZES {
        let n = frames_for(size);
        for (server, role) in [(true, "server"), (false, "client")] {
            let mut wire = Wire::new(frame_stream(size, n, server));
            let mut reader = Reader::new(server);
            our_read(&mut reader, &mut wire, n);
            reader.copied = 0;
            our_read(&mut reader, &mut wire, n);
            let per = reader.copied as f64 / n as f64;
            println!("| {role} | {name} | {per:.0} | {:.3} |", per / size as f64);
        }
    }
    println!();
}

fn decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("ws_decode");
    for (size, name) in SIZES {
        let n = frames_for(size);
        g.sample_size(if size > 4096 { 20 } else { 50 });
        g.throughput(Throughput::Bytes((size * n) as u64));
        for (server, role) in [(true, "server_masked"), (false, "client_unmasked")] {
            let stream = frame_stream(size, n, server);
            let id = |codec: &str| BenchmarkId::new(format!("{codec}/{role}"), name);
            let mut wire = Wire::new(stream.clone());
            let mut reader = Reader::new(server);
            g.bench_function(id("nnrs"), |b| b.iter(|| our_read(&mut reader, &mut wire, n)));
            let mut ws = tungstenite_socket(stream.clone(), server);
            g.bench_function(id("tungstenite"), |b| {
                b.iter(|| {
                    tungstenite_read(&mut ws, n, size, |m| {
                        black_box(m);
                    })
                })
            });
            let mut ws = tungstenite_socket(stream, server);
            g.bench_function(id("tungstenite_to_msg"), |b| {
                b.iter(|| {
                    tungstenite_read(&mut ws, n, size, |m| {
                        black_box(to_msg(&m));
                    })
                })
            });
        }
    }
    g.finish();
}

fn encode(c: &mut Criterion) {
    let mut g = c.benchmark_group("ws_encode");
    for (size, name) in SIZES {
        let n = frames_for(size);
        g.sample_size(if size > 4096 { 20 } else { 50 });
        g.throughput(Throughput::Bytes((size * n) as u64));
        let body = payload(size);
        let shared = Bytes::from(body.clone());
        for (client, role) in [(false, "server_unmasked"), (true, "client_masked")] {
            let id = |codec: &str| BenchmarkId::new(format!("{codec}/{role}"), name);
            let mut wire = Wire::default();
            g.bench_function(id("nnrs"), |b| b.iter(|| our_write(&mut wire, black_box(&body), n, client)));
            let mut ws = tungstenite_socket(Vec::new(), !client);
            g.bench_function(id("tungstenite"), |b| b.iter(|| tungstenite_write(&mut ws, black_box(&shared), n)));
        }
    }
    g.finish();
}

/// Checks that both codecs agree on what they decode and encode.
fn cross_check() {
    for (size, _) in SIZES {
        let n = 3;
        let body = payload(size);
        for server in [true, false] {
            let mut ws = tungstenite_socket(frame_stream(size, n, server), server);
            tungstenite_read(&mut ws, n, size, |b| assert_eq!(&b[..], &body[..]));
            let mut wire = Wire::new(frame_stream(size, n, server));
            let got = Reader::new(server).drain(&mut wire, |m| assert_eq!(m.body.as_slice(), &body[..]));
            assert_eq!(got, n);
            // What one side encodes, the other decodes.
            let mut ours = Wire::default();
            our_write(&mut ours, &body, n, server);
            let mut ws = tungstenite_socket(ours.output.clone(), server);
            tungstenite_read(&mut ws, n, size, |b| assert_eq!(&b[..], &body[..]));
            let mut theirs = tungstenite_socket(Vec::new(), !server);
            tungstenite_write(&mut theirs, &Bytes::from(body.clone()), n);
            let mut wire = Wire::new(theirs.get_ref().output.clone());
            assert_eq!(Reader::new(server).drain(&mut wire, |m| assert_eq!(m.body.as_slice(), &body[..])), n);
        }
    }
}

fn main() {
    cross_check();
    allocation_report();
    let mut c = Criterion::default().configure_from_args();
    decode(&mut c);
    encode(&mut c);
    c.final_summary();
}
