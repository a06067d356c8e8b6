//! What nanocat says when clap cannot read the command line: an unknown or
//! ambiguous option, a stray argument, a missing or malformed value. The
//! wording follows nanocat's; clap's own text is the fallback for anything
//! nanocat has no message for.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};

use crate::argv;

/// A string piece of clap's error context.
fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        _ => None,
    }
}

/// The option clap's context names (`--bind <ADDR>`), and how the user
/// wrote it.
fn named_option<'a>(cmd: &'a Command, args: &[OsString], described: &str) -> Option<(&'a Arg, String)> {
    let word = described.split_whitespace().next()?;
    let arg = cmd.get_arguments().find(|a| {
        a.get_long().is_some_and(|l| word.strip_prefix("--") == Some(l)) || a.get_short().is_some_and(|s| word == format!("-{s}"))
    })?;
    let seen = argv::scan(cmd, args);
    let spelling = match seen.into_iter().find(|o| o.id == *arg.get_id()) {
        Some(o) => o.spelling,
        None => format!("--{}", arg.get_long().unwrap_or_default()),
    };
    Some((arg, spelling))
}

/// `--pu` matches several long options: nanocat lists them.
fn ambiguous(cmd: &Command, given: &str) -> Option<String> {
    let prefix = given.strip_prefix("--")?.split('=').next()?;
    let matching: Vec<&str> = cmd.get_arguments().filter_map(Arg::get_long).filter(|l| l.starts_with(prefix)).collect();
    (matching.len() > 1).then(|| matching.iter().map(|l| format!("    {l}\n")).collect())
}

/// nanocat's message for a command line clap refused.
pub fn message(program: &str, cmd: &Command, args: &[OsString], err: &clap::Error) -> String {
    let invalid_arg = context(err, ContextKind::InvalidArg).unwrap_or_default();
    let option = named_option(cmd, args, &invalid_arg);
    match (err.kind(), option) {
        (ErrorKind::UnknownArgument, _) if invalid_arg.starts_with('-') => match ambiguous(cmd, &invalid_arg) {
            Some(list) => format!("{program}: Ambiguous option ``{invalid_arg}'':\n{list}"),
            None => format!("{program}: Unknown option ``{invalid_arg}''\n"),
        },
        (ErrorKind::UnknownArgument, _) => format!("{program}: Unexpected argument ``{invalid_arg}''\n"),
        (ErrorKind::InvalidValue, Some((arg, spelling))) => {
            let value = context(err, ContextKind::InvalidValue).unwrap_or_default();
            let choices: Vec<String> = arg.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
            if value.is_empty() && !args.iter().any(|a| a.to_string_lossy().ends_with('=')) {
                format!("{program}: Option {spelling} requires an argument\n")
            } else if !choices.is_empty() {
                let list: String = choices.iter().map(|c| format!("    {c}\n")).collect();
                format!("{program}: Invalid value ``{value}'' for {spelling} . Options are:\n{list}")
            } else {
                format!("{program}: Option {spelling} requires an argument\n")
            }
        }
        (ErrorKind::ValueValidation, Some((_, spelling))) => {
            format!("{program}: Option {spelling} requires float point argument\n")
        }
        _ => {
            let text = err.render().to_string();
            let first = text.lines().next().unwrap_or("bad arguments").trim_start_matches("error: ");
            format!("{program}: {first}\n")
        }
    }
}
