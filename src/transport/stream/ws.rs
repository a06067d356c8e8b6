//! The WebSocket side of a stream connection (ws://, over tcp): the
//! client's upgrade request and the check of the server's answer, frames
//! in and out (a client masks what it sends), pings answered, the close
//! handshake, and the close code sent before dropping a peer that broke
//! the protocol. The server's half of the upgrade happens before the
//! connection exists (`transport::ws`).

use super::*;
use crate::wire::ws_decoder::{Event, Progress};
use crate::wire::ws_frame::{CLOSE, NORMAL, PONG};
use crate::wire::ws_http;

/// A client connection's upgrade key and mask generator.
#[derive(Debug, Default)]
pub(super) struct ClientState {
    key: String,
    /// xorshift64 state for masking keys (never 0 once seeded).
    mask_state: u64,
}

impl StreamConn {
    /// The upgrade request of a client, with a fresh random key.
    pub(super) fn ws_request(&self, host: &str, path: &str) -> Vec<u8> {
        let mut random = [0u8; 16];
        let _ = rustix::rand::getrandom(&mut random, rustix::rand::GetRandomFlags::empty());
        let key = ws_http::new_key(random);
        let mut client = lock(&self.ws_client);
        client.mask_state = u64::from_ne_bytes(random[..8].try_into().expect("8 bytes")) | 1;
        client.key = key.clone();
        drop(client);
        ws_http::client_request(host, path, &key, &ws_http::subprotocol(self.ctx.options.peer_type_name))
    }

    /// Checks the server's answer to the upgrade; opens once it agreed.
    pub(super) fn ws_check_response(&self, inp: &mut Input) -> Result<(), Option<Stat>> {
        let key = lock(&self.ws_client).key.clone();
        let protocol = ws_http::subprotocol(self.ctx.options.peer_type_name);
        match ws_http::parse_response(&inp.buf[inp.start..inp.end], &key, &protocol) {
            Ok(None) => Ok(()),
            Ok(Some(used)) => {
                inp.start += used;
                inp.ws = Some(self.ws_decoder());
                self.open()
            }
            Err(_) => Err(Some(Stat::DroppedConnections)),
        }
    }

    /// A server connection whose upgrade was answered: it opens at once,
    /// and `early` (what the client sent after its request) is decoded.
    pub(super) fn open_upgraded(&self, early: Vec<u8>) {
        {
            let mut inp = lock(&self.input);
            inp.end = early.len();
            inp.buf = early;
            inp.ws = Some(self.ws_decoder());
        }
        if self.open().is_err() {
            self.close_because(None);
            return;
        }
        let decoded = self.decode(&mut lock(&self.input));
        match decoded {
            Ok(()) => self.read_ready(),
            Err(stat) => self.close_because(stat),
        }
    }

    fn ws_decoder(&self) -> Decoder {
        let server = matches!(self.ctx.ws, Some(WsRole::Server));
        Decoder::new(server, self.ctx.options.recv_max_size, HEADROOM, DIRECT_READ as u64)
    }

    /// Decodes every complete frame in the buffer; starts a direct read for
    /// a large payload.
    pub(super) fn decode_ws(&self, inp: &mut Input) -> Result<(), Option<Stat>> {
        loop {
            let mut events = Vec::new();
            let Input { ws, buf, start, end, .. } = &mut *inp;
            let Some(decoder) = ws.as_mut() else { return Err(None) };
            let progress = decoder.next(&buf[*start..*end], &mut events);
            match progress {
                Err(code) => return Err(self.ws_fail(code)),
                Ok(Progress::NeedMore) => return Ok(()),
                Ok(Progress::Took(n)) => {
                    inp.start += n;
                    inp.large = false;
                    self.ws_events(inp, events)?;
                }
                Ok(Progress::ReadPayload(frame)) => {
                    let full = usize::try_from(frame.len)
                        .ok()
                        .and_then(|len| len.checked_add(HEADROOM))
                        .ok_or(Some(Stat::DroppedConnections))?;
                    let mut body = crate::core::msg::pool::take(full).map_err(|_| Some(Stat::DroppedConnections))?;
                    body.resize(HEADROOM, 0);
                    body.extend_from_slice(&inp.buf[inp.start + frame.size..inp.end]);
                    inp.partial = Some((body, full));
                    inp.partial_frame = Some(frame);
                    inp.start = inp.end;
                    inp.large = true;
                    return Ok(());
                }
            }
        }
    }

    /// A payload read straight into `body` is complete.
    pub(super) fn ws_payload(&self, inp: &mut Input, frame: &ws_frame::Header, body: Vec<u8>) -> Result<(), Option<Stat>> {
        let mut events = Vec::new();
        let Some(decoder) = inp.ws.as_mut() else { return Err(None) };
        if let Err(code) = decoder.payload(frame, body, &mut events) {
            return Err(self.ws_fail(code));
        }
        self.ws_events(inp, events)
    }

    /// Acts on decoded frames: messages are queued, pings answered; a
    /// close is answered and ends the connection.
    fn ws_events(&self, inp: &mut Input, events: Vec<Event>) -> Result<(), Option<Stat>> {
        for event in events {
            match event {
                Event::Message(bytes) => inp.ready.push_back(Msg::new(Body::from_parts(bytes, HEADROOM))),
                Event::Ping(payload) => self.send_control(PONG, &payload),
                Event::Close(code) => {
                    // Echo the peer's code (none if it gave none).
                    let echo = if code == 1005 { Vec::new() } else { ws_frame::close_payload(code).to_vec() };
                    self.send_control(CLOSE, &echo);
                    return Err(Some(Stat::BrokenConnections));
                }
            }
        }
        Ok(())
    }

    /// Sends a close frame with `code` before the connection is dropped.
    fn ws_fail(&self, code: u16) -> Option<Stat> {
        self.send_control(CLOSE, &ws_frame::close_payload(code));
        Some(Stat::DroppedConnections)
    }

    /// Sends the close frame of an orderly close from our side.
    pub(super) fn ws_close(&self) {
        self.send_control(CLOSE, &ws_frame::close_payload(NORMAL));
    }

    /// Queues and writes a control frame. A write that fails closes
    /// nothing here (this runs while decoding, with `input` held, and
    /// closing takes it): the caller drops the connection, or its next
    /// read finds it broken.
    fn send_control(&self, opcode: u8, payload: &[u8]) {
        let msg = Msg { header: payload.to_vec(), ..Msg::default() };
        let frame = self.ws_frame(opcode, msg);
        let mut out = lock(&self.output);
        out.push(frame, 0);
        let _ = self.write_out(&mut out);
        drop(out);
        // A flush asked for meanwhile (it also tells the socket of room
        // made) runs on the I/O thread: this one holds `input`.
        if self.flush_wanted.load(Ordering::SeqCst) {
            self.schedule_flush(&mut lock(&self.output));
        }
    }

    /// The frame of a message the user sends: text or binary as the
    /// message asks, else as the endpoint's NN_WS_MSG_TYPE.
    pub(super) fn ws_out_frame(&self, msg: Msg) -> OutFrame {
        let opcode = match msg.ws_type {
            0 => self.ctx.options.ws_msg_type,
            t => t,
        };
        self.ws_frame(opcode, msg)
    }

    /// One whole-message frame; a client masks it.
    fn ws_frame(&self, opcode: u8, msg: Msg) -> OutFrame {
        let total = (msg.header.len() + msg.body.len()) as u64;
        let mask = match self.ctx.ws {
            Some(WsRole::Client { .. }) => Some(self.next_mask()),
            _ => None,
        };
        let (prefix, n) = ws_frame::encode_header(true, opcode, total, mask);
        let mut frame = OutFrame::new(&prefix[..n], msg);
        if let Some(key) = mask {
            let mut bytes = frame.msg.header.clone();
            bytes.extend_from_slice(frame.msg.body.as_slice());
            ws_frame::apply_mask(&mut bytes, key, 0);
            frame.masked = Some(bytes);
        }
        frame
    }

    /// A fresh masking key.
    fn next_mask(&self) -> [u8; 4] {
        let mut client = lock(&self.ws_client);
        let mut x = client.mask_state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        client.mask_state = x;
        (x as u32).to_ne_bytes()
    }
}
