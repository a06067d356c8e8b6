//! The command line as clap sees it: every option of nanocat, its spelling
//! and the type of its value. The field order is the order in which nanocat
//! lists (and checks) its options, so the rules and the messages built from
//! this definition come out in that order too. What the options may be
//! combined with lives in `rules.rs`, not here.

use std::ffi::OsString;

use clap::{ArgAction, Parser, ValueEnum};

/// How received messages are printed (`--format` and its shorthands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Print nothing.
    No,
    /// The bytes as they are, with nothing between messages.
    Raw,
    /// Printable ASCII kept, every other byte a dot; one line a message.
    Ascii,
    /// In double quotes with C escapes; one line a message.
    Quoted,
    /// A MessagePack binary string per message.
    Msgpack,
    /// In double quotes, every byte as \xNN; one line a message.
    Hex,
}

/// A command-line interface to nanomsg sockets: send and receive messages
/// from the shell.
#[derive(Debug, Parser)]
#[command(
    name = "nanocat",
    disable_help_flag = true,
    disable_version_flag = true,
    // nanocat takes any unambiguous prefix of a long option.
    infer_long_args = true,
    // Repeating an option is legal to the parser: whether it conflicts
    // with itself is one of nanocat's own rules.
    args_override_self = true,
    override_usage = "nanocat {--push|--pull|--pub|--sub|--req|--rep|--surveyor|--respondent|--bus|--pair|--bind|--connect|--bind-ipc|--connect-ipc|--bind-local|--connect-local} [-vqhAQ] [-i SEC] [-d SEC] [-D DATA] [-F PATH] [options]"
)]
pub struct Cli {
    /// Be more talkative (accepted; nanocat prints nothing more)
    #[arg(short = 'v', long, action = ArgAction::Count, help_heading = "Generic")]
    pub verbose: u8,
    /// Be quieter (accepted; nanocat prints nothing less)
    #[arg(short = 'q', long, action = ArgAction::Count, help_heading = "Generic")]
    pub silent: u8,
    /// Print this help and exit
    #[arg(short = 'h', long, action = ArgAction::Help, help_heading = "Generic")]
    pub help: Option<bool>,

    /// An NN_PUSH socket: send
    #[arg(long, help_heading = "Socket types")]
    pub push: bool,
    /// An NN_PULL socket: receive
    #[arg(long, help_heading = "Socket types")]
    pub pull: bool,
    /// An NN_PUB socket: publish
    #[arg(long = "pub", help_heading = "Socket types")]
    pub pub_: bool,
    /// An NN_SUB socket: receive what is subscribed to
    #[arg(long, help_heading = "Socket types")]
    pub sub: bool,
    /// An NN_REQ socket: send requests, print replies
    #[arg(long, help_heading = "Socket types")]
    pub req: bool,
    /// An NN_REP socket: print requests, answer with the data
    #[arg(long, help_heading = "Socket types")]
    pub rep: bool,
    /// An NN_SURVEYOR socket: send surveys, print answers
    #[arg(long, help_heading = "Socket types")]
    pub surveyor: bool,
    /// An NN_RESPONDENT socket: print surveys, answer with the data
    #[arg(long, help_heading = "Socket types")]
    pub respondent: bool,
    /// An NN_BUS socket: send and receive
    #[arg(long, help_heading = "Socket types")]
    pub bus: bool,
    /// An NN_PAIR socket: send and receive
    #[arg(long, help_heading = "Socket types")]
    pub pair: bool,

    /// Bind to ADDR
    #[arg(long, value_name = "ADDR", allow_hyphen_values = true, help_heading = "Socket options")]
    pub bind: Vec<OsString>,
    /// Connect to ADDR
    #[arg(long, value_name = "ADDR", allow_hyphen_values = true, help_heading = "Socket options")]
    pub connect: Vec<OsString>,
    /// Bind to "ipc://PATH"
    #[arg(short = 'X', long, value_name = "PATH", allow_hyphen_values = true, help_heading = "Socket options")]
    pub bind_ipc: Vec<OsString>,
    /// Connect to "ipc://PATH"
    #[arg(short = 'x', long, value_name = "PATH", allow_hyphen_values = true, help_heading = "Socket options")]
    pub connect_ipc: Vec<OsString>,
    /// Bind to "tcp://127.0.0.1:PORT"
    #[arg(short = 'L', long, value_name = "PORT", allow_hyphen_values = true, help_heading = "Socket options")]
    pub bind_local: Vec<OsString>,
    /// Connect to "tcp://127.0.0.1:PORT"
    #[arg(short = 'l', long, value_name = "PORT", allow_hyphen_values = true, help_heading = "Socket options")]
    pub connect_local: Vec<OsString>,
    /// Give up receiving after SEC seconds
    #[arg(long, value_name = "SEC", allow_hyphen_values = true, value_parser = seconds, help_heading = "Socket options")]
    pub recv_timeout: Option<f64>,
    /// Give up sending after SEC seconds
    #[arg(long, value_name = "SEC", allow_hyphen_values = true, value_parser = seconds, help_heading = "Socket options")]
    pub send_timeout: Option<f64>,
    /// The socket's name in statistics (NN_SOCKET_NAME)
    #[arg(long, value_name = "NAME", allow_hyphen_values = true, help_heading = "Socket options")]
    pub socket_name: Option<OsString>,

    /// Receive only messages that start with PREFIX (may be repeated; with
    /// none, everything)
    #[arg(long, value_name = "PREFIX", allow_hyphen_values = true, help_heading = "SUB socket options")]
    pub subscribe: Vec<OsString>,

    /// Print received messages in FORMAT (the options below name each one)
    #[arg(long, value_name = "FORMAT", value_enum, help_heading = "Input options")]
    pub format: Option<Format>,
    /// Print messages as they are, with no delimiter
    #[arg(long, help_heading = "Input options")]
    pub raw: bool,
    /// Print one line a message, non-printable bytes as dots
    #[arg(short = 'A', long, help_heading = "Input options")]
    pub ascii: bool,
    /// Print one line a message, quoted, with C escapes
    #[arg(short = 'Q', long, help_heading = "Input options")]
    pub quoted: bool,
    /// Print each message as a MessagePack binary string
    #[arg(long, help_heading = "Input options")]
    pub msgpack: bool,
    /// Print one line a message, quoted, every byte in hex
    #[arg(long, help_heading = "Input options")]
    pub hex: bool,

    /// Send again every SEC seconds
    #[arg(short = 'i', long, value_name = "SEC", allow_hyphen_values = true, value_parser = seconds, help_heading = "Output options")]
    pub interval: Option<f64>,
    /// Wait SEC seconds before the first send (lets one-shot PUB peers connect)
    #[arg(short = 'd', long, value_name = "SEC", allow_hyphen_values = true, value_parser = seconds, help_heading = "Output options")]
    pub delay: Option<f64>,
    /// The message to send (PUSH, PUB, PAIR, BUS), the request or survey
    /// (REQ, SURVEYOR) or the answer (REP, RESPONDENT)
    #[arg(short = 'D', long, value_name = "DATA", allow_hyphen_values = true, help_heading = "Output options")]
    pub data: Option<OsString>,
    /// As --data, with the contents of PATH ("-" is standard input)
    #[arg(short = 'F', long, value_name = "PATH", allow_hyphen_values = true, help_heading = "Output options")]
    pub file: Option<OsString>,

}

/// A number of seconds as C's strtod reads it: decimal or hexadecimal,
/// with an exponent, `inf` or `nan`, and nothing after it.
fn seconds(text: &str) -> Result<f64, String> {
    let t = text.trim_start();
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let hex = unsigned.strip_prefix("0x").or_else(|| unsigned.strip_prefix("0X"));
    let value = match hex {
        Some(digits) => u64::from_str_radix(digits, 16).map(|v| v as f64).ok(),
        None => unsigned.parse::<f64>().ok(),
    };
    match value {
        Some(v) if negative => Ok(-v),
        Some(v) => Ok(v),
        None => Err("not a number".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn seconds_read_like_strtod() {
        assert_eq!(seconds("1.5"), Ok(1.5));
        assert_eq!(seconds("-1"), Ok(-1.0));
        assert_eq!(seconds("1e3"), Ok(1000.0));
        assert_eq!(seconds("0x10"), Ok(16.0));
        assert!(seconds("abc").is_err());
        assert!(seconds("1s").is_err());
        assert!(seconds("").is_err());
    }
}
