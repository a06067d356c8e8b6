//! Fuzzing on stable Rust: every decoder and parser a peer or a caller can
//! reach gets the committed seed corpus (`fuzz/corpus/<target>/`) and
//! mutations of it, and must never panic nor break its invariants. A plain
//! `cargo test --release` runs a short pass; `fuzz/README.md` has the
//! command for a million inputs per target and how to reproduce a failure.

/// The targets, one family per file under `tests/fuzz/`.
mod fuzz {
    pub mod api;
    pub mod harness;
    pub mod seeds;
    pub mod sp_header;
    pub mod stream;
    pub mod ws_frames;
    pub mod ws_http;
}

use fuzz::harness::{fuzz, Target};
use fuzz::{api, sp_header, stream, ws_frames, ws_http};

/// One test per target, so a filter picks targets and failures are named.
macro_rules! targets {
    ($($test:ident => $target:expr,)*) => {
        $(
            #[test]
            fn $test() {
                let target: &Target = &$target;
                fuzz(target);
            }
        )*
    };
}

targets! {
    sp_handshake => stream::HANDSHAKE,
    tcp_stream => stream::TCP,
    ipc_stream => stream::IPC,
    ws_request => ws_http::REQUEST,
    ws_response => ws_http::RESPONSE,
    ws_header => ws_frames::HEADER,
    ws_server_stream => ws_frames::SERVER,
    ws_client_stream => ws_frames::CLIENT,
    sp_backtrace => sp_header::BACKTRACE,
    sp_received => sp_header::RECEIVED,
    options => api::OPTIONS,
}

/// Addresses really bind; the ipc directory they use goes afterwards.
#[test]
fn address() {
    fuzz(&api::ADDRESS);
    api::remove_private_dir();
}
