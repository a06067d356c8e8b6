//! The wire codecs: tcp/ipc prefixes, the SP handshake, WebSocket frame
//! headers, masking, the ws Decoder on a stream of frames, and the HTTP
//! upgrade. `cargo bench --bench codecs`.

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nanomsg::wire::frame::Framing;
use nanomsg::wire::sp::{check_handshake, handshake};
use nanomsg::wire::ws_frame::{apply_mask, encode_header, parse_header, BINARY};
use nanomsg::wire::ws_http::{accept_response, parse_request, subprotocol};

use common::{frame_stream, frames_for, Reader, Wire};

fn prefixes(c: &mut Criterion) {
    let mut g = c.benchmark_group("prefix");
    for (framing, name) in [(Framing::Tcp, "tcp"), (Framing::Ipc, "ipc")] {
        let bytes = framing.prefix(1500);
        let n = framing.prefix_len();
        g.bench_function(format!("{name}/encode"), |b| b.iter(|| black_box(framing).prefix(black_box(1500))));
        g.bench_function(format!("{name}/parse"), |b| {
            b.iter(|| black_box(framing).parse_prefix(black_box(&bytes[..n]), Some(1024 * 1024)))
        });
    }
    g.finish();
}

fn sp_handshake(c: &mut Criterion) {
    let mut g = c.benchmark_group("sp_handshake");
    let ours = handshake(0x10);
    g.bench_function("encode", |b| b.iter(|| handshake(black_box(0x10))));
    g.bench_function("check/ok", |b| b.iter(|| check_handshake(black_box(&ours), black_box(0x10))));
    g.bench_function("check/wrong_protocol", |b| b.iter(|| check_handshake(black_box(&ours), black_box(0x11))));
    g.bench_function("check/not_sp", |b| b.iter(|| check_handshake(black_box(b"GET / HT"), black_box(0x10))));
    g.finish();
}

fn ws_header(c: &mut Criterion) {
    let mut g = c.benchmark_group("ws_header");
    let key = Some([1, 2, 3, 4]);
    for (len, name) in [(64u64, "7bit"), (1024, "16bit"), (65536, "64bit")] {
        for (mask, role) in [(key, "masked"), (None, "unmasked")] {
            let (bytes, size) = encode_header(true, BINARY, len, mask);
            g.bench_function(format!("parse/{name}/{role}"), |b| b.iter(|| parse_header(black_box(&bytes[..size]))));
            g.bench_function(format!("encode/{name}/{role}"), |b| {
                b.iter(|| encode_header(true, BINARY, black_box(len), black_box(mask)))
            });
        }
    }
    g.finish();
}

fn ws_mask(c: &mut Criterion) {
    let mut g = c.benchmark_group("ws_mask");
    for (size, name) in common::SIZES {
        let mut data = common::payload(size);
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function(BenchmarkId::new("apply_mask", name), |b| {
            b.iter(|| apply_mask(black_box(&mut data), black_box([0xA1, 0xB2, 0xC3, 0xD4]), 0))
        });
        g.bench_function(BenchmarkId::new("apply_mask_offset3", name), |b| {
            b.iter(|| apply_mask(black_box(&mut data), black_box([0xA1, 0xB2, 0xC3, 0xD4]), 3))
        });
    }
    g.finish();
}

/// The Decoder on a stream of frames, as a connection reads it: 64 KiB
/// reads, messages of 16 KiB and more read straight into their buffer.
/// Throughput counts payload bytes; msg/s = bytes/s / payload size.
fn ws_decoder(c: &mut Criterion) {
    let mut g = c.benchmark_group("ws_decoder");
    for (size, name) in [(64, "64B"), (64 * 1024, "64KiB")] {
        let n = frames_for(size);
        if size > 4096 {
            g.sample_size(20);
        }
        for (server, role) in [(true, "server_masked"), (false, "client_unmasked")] {
            let mut wire = Wire::new(frame_stream(size, n, server));
            let mut reader = Reader::new(server);
            g.throughput(Throughput::Bytes((size * n) as u64));
            g.bench_function(BenchmarkId::new(role, format!("{name}x{n}")), |b| {
                b.iter(|| {
                    wire.rewind();
                    let got = reader.drain(&mut wire, |m| {
                        black_box(m);
                    });
                    assert_eq!(got, n);
                })
            });
        }
    }
    g.finish();
}

fn ws_http(c: &mut Criterion) {
    let mut g = c.benchmark_group("ws_http");
    let request = b"GET /a/b HTTP/1.1\r\nHost: 127.0.0.1:5555\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
Sec-WebSocket-Protocol: pair.sp.nanomsg.org\r\n\r\n";
    let (parsed, _) = parse_request(request).expect("valid").expect("complete");
    let protocol = subprotocol("pair");
    g.bench_function("parse_request", |b| b.iter(|| parse_request(black_box(request))));
    g.bench_function("parse_request/incomplete", |b| b.iter(|| parse_request(black_box(&request[..100]))));
    g.bench_function("accept_response", |b| b.iter(|| accept_response(black_box(&parsed), black_box(&protocol))));
    g.finish();
}

criterion_group!(benches, prefixes, sp_handshake, ws_header, ws_mask, ws_decoder, ws_http);
criterion_main!(benches);
