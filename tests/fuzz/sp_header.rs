//! Targets for SP headers: backtraces and request / survey ids
//! (`nanomsg::protocol::util::backtrace`), and what each protocol makes of
//! an arbitrary message arriving on a pipe (`Protocol::received`).

use std::sync::Arc;

use nanomsg::core::msg::{Body, Msg};
use nanomsg::protocol::util::backtrace::{first_word, split_backtrace, split_word, END_OF_TRACE, WORD};
use nanomsg::protocol::{new_protocol, Arrival, Protocol, Route, SocketType};
use nanomsg::transport::pipe::{Pipe, PipeId, PipeOps, SendError};

use super::harness::{Rng, Target};

const DICTIONARY: &[&[u8]] = &[b"\x80\x00\x00\x01", b"\x00\x00\x00\x07", b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"];

/// Backtrace and id splitting.
pub const BACKTRACE: Target = Target { name: "sp_backtrace", run: run_backtrace, dictionary: DICTIONARY, cost: 1 };
/// Messages arriving at REQ, REP, SURVEYOR, RESPONDENT, BUS and SUB.
pub const RECEIVED: Target = Target { name: "sp_received", run: run_received, dictionary: DICTIONARY, cost: 2 };

/// A message as it could arrive: the wire bytes cut anywhere into header
/// (inproc keeps its sender's) and body, with some headroom.
fn message(wire: &[u8], rng: &mut Rng) -> Msg {
    let cut = rng.below(wire.len() + 1);
    let body = Body::copy_from(&wire[cut..], rng.below(40)).expect("small");
    Msg { header: wire[..cut].to_vec(), body, ws_type: 0 }
}

/// The message's bytes as the wire carries them.
fn wire_of(msg: &Msg) -> Vec<u8> {
    [&msg.header[..], msg.body.as_slice()].concat()
}

/// The backtrace a request carries: the words through the first with the
/// top bit set, if that is within `max_hops` words.
fn expected_trace(wire: &[u8], max_hops: usize) -> Option<&[u8]> {
    let words = wire.chunks_exact(WORD).take(max_hops);
    let end = words.clone().position(|w| w[0] & 0x80 != 0)?;
    Some(&wire[..(end + 1) * WORD])
}

fn run_backtrace(wire: &[u8]) {
    let mut rng = Rng::from_input(wire);
    let max_hops = rng.below(12);
    let mut msg = message(wire, &mut rng);
    let before = msg.clone();
    let split = split_backtrace(&mut msg, max_hops);
    assert_eq!(wire_of(&msg), wire, "split_backtrace changed the bytes");
    match expected_trace(wire, max_hops) {
        Some(trace) => assert!(split && msg.header == trace, "trace {:02x?}, header {:02x?}", trace, msg.header),
        None => assert!(!split && msg == before, "no trace, yet split or moved"),
    }
    let mut msg = message(wire, &mut rng);
    let word = split_word(&mut msg);
    assert_eq!(wire_of(&msg), wire, "split_word changed the bytes");
    assert_eq!(word, first_word(wire));
    if word.is_some() {
        assert_eq!(msg.header, &wire[..WORD]);
        assert_eq!(first_word(&msg.header), word);
    }
}

/// A pipe that is only named; what is sent to it goes nowhere.
struct NamedPipe;

impl PipeOps for NamedPipe {
    fn send(&self, msg: Msg) -> Result<(), SendError> {
        Err(SendError::Closed(msg))
    }
    fn resume(&self) {}
    fn unsent(&self) -> usize {
        0
    }
    fn close(&self) {}
}

fn pipe(id: PipeId) -> Pipe {
    Pipe { id, ops: Arc::new(NamedPipe), send_priority: 8, recv_priority: 8 }
}

/// The socket types whose `received` reads the SP header or the body.
const TYPES: [SocketType; 6] =
    [SocketType::Req, SocketType::Rep, SocketType::Surveyor, SocketType::Respondent, SocketType::Bus, SocketType::Sub];

/// NN_SUB_SUBSCRIBE, NN_REQ_RESEND_IVL and NN_SURVEYOR_DEADLINE all are 1.
const PROTOCOL_OPTION: i32 = 1;

/// The pipes every protocol gets.
const PIPES: [PipeId; 3] = [1, 2, 0x7fff_ffff];

/// One protocol meets the message: it is set up (peers, a request or
/// survey outstanding, a subscription, a hop limit), the message arrives,
/// and what came of it must be what the protocol's RFC says.
fn run_received(wire: &[u8]) {
    let mut rng = Rng::from_input(wire);
    let kind = *rng.pick(&TYPES);
    let raw = rng.one_in(2);
    let mut p = new_protocol(kind, raw);
    for id in PIPES {
        assert!(p.add_pipe(&pipe(id)));
    }
    let max_hops = 1 + rng.below(10);
    p.set_max_hops(max_hops);
    let mut wire = wire.to_vec();
    let mut live = outstanding(&mut *p, kind, raw, &mut rng, &mut wire);
    // The same bytes twice (a duplicate, a resent request's second reply),
    // cut and routed differently: the state the first left must hold.
    for _ in 0..2 {
        let from = *rng.pick(&PIPES);
        let msg = message(&wire, &mut rng);
        let body = msg.body.as_slice().to_vec();
        let arrival = p.received(from, msg);
        let case = Case { kind, raw, from, max_hops, live: live.clone(), wire: &wire, body: &body };
        let queued = check_arrival(&mut *p, &case, arrival);
        if queued && kind == SocketType::Req && !raw {
            live = None; // a request takes one reply; a survey many answers
        }
    }
}

/// What a protocol is waiting for before the message arrives: the id of a
/// live request or survey (which the message then answers half the time),
/// or a subscribed topic.
fn outstanding(p: &mut dyn Protocol, kind: SocketType, raw: bool, rng: &mut Rng, wire: &mut [u8]) -> Option<Vec<u8>> {
    match (kind, raw) {
        (SocketType::Req | SocketType::Surveyor, false) => {
            // A long deadline and resend interval: the answer is not late.
            p.set_option(PROTOCOL_OPTION, &i32::MAX.to_ne_bytes()).expect("option");
            let id = sent_id(p, kind)?;
            if wire.len() >= WORD && rng.one_in(2) {
                wire[..WORD].copy_from_slice(&id);
            }
            Some(id.to_vec())
        }
        (SocketType::Sub, _) => {
            let topic = wire[..rng.below(wire.len().min(4) + 1)].to_vec();
            p.set_option(PROTOCOL_OPTION, &topic).expect("subscribe");
            Some(topic)
        }
        _ => None,
    }
}

/// Sends a request or survey and returns the id it went out with.
fn sent_id(p: &mut dyn Protocol, kind: SocketType) -> Option<[u8; WORD]> {
    let mut request = Msg::new(Body::copy_from(b"ask", 0).expect("small"));
    let header = match p.route(&mut request).expect("route") {
        Route::Kept if kind == SocketType::Req => p.take_outgoing().expect("a peer").1.header,
        Route::Each(_) => request.header,
        other => panic!("{kind:?} routed a request {other:?}"),
    };
    let id: [u8; WORD] = header.as_slice().try_into().expect("one word");
    assert!(u32::from_be_bytes(id) & END_OF_TRACE != 0, "id without its top bit");
    Some(id)
}

/// Everything known about one arrival.
struct Case<'a> {
    kind: SocketType,
    raw: bool,
    from: PipeId,
    max_hops: usize,
    /// The live request / survey id or the subscribed topic.
    live: Option<Vec<u8>>,
    /// The message as the wire carried it.
    wire: &'a [u8],
    /// Its body (without a header its sender kept, inproc).
    body: &'a [u8],
}

/// Checks what came of an arrival; whether it was queued.
fn check_arrival(p: &mut dyn Protocol, case: &Case, arrival: Arrival) -> bool {
    let queued = match arrival {
        Arrival::Queue(msg) => Some(msg),
        Arrival::Filtered => {
            assert_eq!(case.kind, SocketType::Sub, "{:?} filtered", case.kind);
            None
        }
        Arrival::Dropped => None,
    };
    let was_queued = queued.is_some();
    match case.kind {
        SocketType::Rep | SocketType::Respondent => check_replier(p, case, queued),
        SocketType::Req | SocketType::Surveyor => check_requester(case, queued),
        SocketType::Bus => {
            let msg = queued.expect("BUS takes everything");
            assert_eq!((msg.header.as_slice(), msg.body.as_slice()), (&case.from.to_be_bytes()[..], case.body));
        }
        _ => {
            let topic = case.live.as_deref().unwrap_or_default();
            assert_eq!(queued.is_some(), case.body.starts_with(topic), "SUB topic {topic:02x?}");
            assert!(queued.is_none_or(|m| m.body.as_slice() == case.body));
        }
    }
    was_queued
}

/// REP / RESPONDENT queue a request with its backtrace in the header, the
/// pipe it came on first, and the reply goes back on that pipe.
fn check_replier(p: &mut dyn Protocol, case: &Case, queued: Option<Msg>) {
    let trace = expected_trace(case.wire, case.max_hops);
    let Some(mut msg) = queued else {
        assert!(trace.is_none(), "dropped a request with the backtrace {trace:02x?}");
        return;
    };
    let trace = trace.expect("queued a request without a backtrace");
    assert_eq!(msg.header, [&case.from.to_be_bytes()[..], trace].concat());
    assert_eq!([&msg.header[WORD..], msg.body.as_slice()].concat(), case.wire);
    assert!(p.hand_out(&mut msg));
    let mut reply = if case.raw { msg } else { Msg::new(Body::copy_from(b"answer", 0).expect("small")) };
    let Ok(Route::Each(pipes)) = p.route(&mut reply) else { panic!("the reply was not routed") };
    assert_eq!(pipes.iter().map(|p| p.id).collect::<Vec<_>>(), [case.from]);
    assert_eq!(reply.header, trace, "the reply's backtrace");
}

/// REQ / SURVEYOR queue a reply whose first word is the id (any id, raw;
/// the live one, cooked) and keep that word as the header.
fn check_requester(case: &Case, queued: Option<Msg>) {
    let id = case.wire.get(..WORD);
    let wanted = id.is_some() && (case.raw || id == case.live.as_deref());
    assert_eq!(queued.is_some(), wanted, "{:?} raw={} id {id:02x?} live {:02x?}", case.kind, case.raw, case.live);
    if let Some(msg) = queued {
        assert_eq!(Some(msg.header.as_slice()), id);
        assert_eq!(msg.body.as_slice(), &case.wire[WORD..]);
    }
}
