//! What a run does, gathered from the checked command line: the socket
//! type, the endpoints in the order given, the options to set, the data to
//! send and how to print what arrives. Reading `--file` happens here, the
//! one step besides the rules that can refuse to start (status 2).

use std::ffi::{CString, OsStr, OsString};
use std::io::Read;
use std::os::unix::ffi::OsStrExt;

use clap::ArgMatches;

use crate::argv::Occurrence;
use crate::cli::{Cli, Format};
use crate::kind::Kind;
use crate::Failure;

/// Everything a run needs.
pub struct Config {
    pub kind: Kind,
    pub binds: Vec<CString>,
    pub connects: Vec<CString>,
    pub recv_timeout: Option<f64>,
    pub send_timeout: Option<f64>,
    pub socket_name: Option<Vec<u8>>,
    /// Empty means everything, for a SUB socket.
    pub subscriptions: Vec<Vec<u8>>,
    pub format: Format,
    pub interval: Option<f64>,
    pub delay: Option<f64>,
    pub data: Option<Vec<u8>>,
}

/// The bytes of `--data`, or of the file `--file` names (`-` for stdin).
pub fn load_data(cli: &Cli) -> Result<Option<Vec<u8>>, Failure> {
    if let Some(data) = &cli.data {
        return Ok(Some(data.as_bytes().to_vec()));
    }
    let Some(path) = &cli.file else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes))
    };
    match read {
        Ok(_) => Ok(Some(bytes)),
        Err(e) => Err(Failure::file(format!(
            "Error opening file ``{}'': {}\n",
            path.to_string_lossy(),
            strerror_text(&e)
        ))),
    }
}

/// The C library's message for an I/O error, without Rust's "(os error N)".
fn strerror_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" (os error ") {
        Some((message, _)) => message.to_string(),
        None => text,
    }
}

/// An address as the C API takes it. Arguments cannot hold a NUL byte, so
/// the fallback (cut at the first NUL) never happens in practice.
fn address(prefix: &str, value: &OsStr) -> CString {
    let mut bytes = prefix.as_bytes().to_vec();
    bytes.extend(value.as_bytes().iter().take_while(|&&b| b != 0));
    CString::new(bytes).unwrap_or_default()
}

/// The endpoints of the options `ids` (with the prefix each adds), in the
/// order they were given on the command line.
fn endpoints(matches: &ArgMatches, ids: [(&str, &str); 3]) -> Vec<CString> {
    let mut found: Vec<(usize, CString)> = Vec::new();
    for (id, prefix) in ids {
        let values = matches.get_many::<OsString>(id).into_iter().flatten();
        let indices = matches.indices_of(id).into_iter().flatten();
        found.extend(indices.zip(values).map(|(at, v)| (at, address(prefix, v))));
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, a)| a).collect()
}

/// The format the last of `--format`, `--raw`, `--ascii`, ... chose.
fn format(cli: &Cli, seen: &[Occurrence]) -> Format {
    let last = seen.iter().rev().find_map(|o| match o.id.as_str() {
        "format" => cli.format,
        "raw" => Some(Format::Raw),
        "ascii" => Some(Format::Ascii),
        "quoted" => Some(Format::Quoted),
        "msgpack" => Some(Format::Msgpack),
        "hex" => Some(Format::Hex),
        _ => None,
    });
    last.unwrap_or(Format::No)
}

impl Config {
    /// The run a checked command line asks for; `None` without a socket
    /// type (which the rules have already refused).
    pub fn new(cli: Cli, matches: &ArgMatches, seen: &[Occurrence], data: Option<Vec<u8>>) -> Option<Config> {
        let kind = seen.iter().find_map(|o| Kind::from_option_id(&o.id))?;
        let binds = endpoints(matches, [("bind", ""), ("bind_ipc", "ipc://"), ("bind_local", "tcp://127.0.0.1:")]);
        let connects =
            endpoints(matches, [("connect", ""), ("connect_ipc", "ipc://"), ("connect_local", "tcp://127.0.0.1:")]);
        Some(Config {
            kind,
            binds,
            connects,
            recv_timeout: cli.recv_timeout,
            send_timeout: cli.send_timeout,
            socket_name: cli.socket_name.as_ref().map(|n| n.as_bytes().to_vec()),
            subscriptions: cli.subscribe.iter().map(|p| p.as_bytes().to_vec()).collect(),
            format: format(&cli, seen),
            interval: cli.interval,
            delay: cli.delay,
            data,
        })
    }
}
