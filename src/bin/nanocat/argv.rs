//! Where each option stands on the command line and how it was written.
//! nanocat's diagnostics name an option the way the user wrote it
//! (`--data`, or `-D (--data)` for the short form) and judge conflicts in
//! the order options appear; clap keeps neither, so this walks the
//! arguments once more with clap's own table of options. It only reads:
//! values come from clap.

use std::ffi::OsString;

use clap::{Arg, Command};

/// One appearance of an option on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The clap id of the option (its field name in `Cli`).
    pub id: String,
    /// How nanocat names it in a message.
    pub spelling: String,
}

/// The option whose long name is `name` or, failing that, the only one
/// whose long name starts with it.
fn by_long<'a>(cmd: &'a Command, name: &str) -> Option<&'a Arg> {
    let exact = cmd.get_arguments().find(|a| a.get_long() == Some(name));
    exact.or_else(|| {
        let mut prefixed = cmd.get_arguments().filter(|a| a.get_long().is_some_and(|l| l.starts_with(name)));
        match (prefixed.next(), prefixed.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    })
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values()
}

/// The short-form spelling nanocat uses: `-D (--data)`.
pub fn short_spelling(arg: &Arg, short: char) -> String {
    match arg.get_long() {
        Some(long) => format!("-{short} (--{long})"),
        None => format!("-{short}"),
    }
}

/// Every option in `args` (without the program name), in order.
pub fn scan(cmd: &Command, args: &[OsString]) -> Vec<Occurrence> {
    let mut found = Vec::new();
    let mut tokens = args.iter().map(|a| a.to_string_lossy());
    while let Some(token) = tokens.next() {
        if token == "--" {
            break;
        }
        if let Some(long) = token.strip_prefix("--") {
            let (name, inline_value) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            if let Some(arg) = by_long(cmd, name) {
                if takes_value(arg) && !inline_value {
                    tokens.next();
                }
                let spelling = format!("--{}", arg.get_long().unwrap_or(name));
                found.push(Occurrence { id: arg.get_id().to_string(), spelling });
            }
        } else if let Some(cluster) = token.strip_prefix('-').filter(|c| !c.is_empty()) {
            for (at, c) in cluster.char_indices() {
                let Some(arg) = cmd.get_arguments().find(|a| a.get_short() == Some(c)) else {
                    break;
                };
                found.push(Occurrence { id: arg.get_id().to_string(), spelling: short_spelling(arg, c) });
                if takes_value(arg) {
                    // The value is the rest of this argument, or the next one.
                    if at + c.len_utf8() == cluster.len() {
                        tokens.next();
                    }
                    break;
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    fn ids(args: &[&str]) -> Vec<(String, String)> {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        scan(&Cli::command(), &args).into_iter().map(|o| (o.id, o.spelling)).collect()
    }

    #[test]
    fn long_short_clusters_and_values() {
        let got = ids(&["--pull", "-vL1234", "--data=x", "-D", "--push", "--forma", "hex", "-A"]);
        let want = [
            ("pull", "--pull"),
            ("verbose", "-v (--verbose)"),
            ("bind_local", "-L (--bind-local)"),
            ("data", "--data"),
            ("data", "-D (--data)"),
            ("format", "--format"),
            ("ascii", "-A (--ascii)"),
        ];
        let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(got, want);
    }
}
