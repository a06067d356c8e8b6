//! nanocat: send and receive nanomsg messages from the command line, with
//! the options, output formats and exit statuses of nanomsg's own nanocat
//! (1: bad arguments, 2: a data file that cannot be read, 3: a failing
//! library call). It drives the sockets through this crate's C API.

mod argv;
mod cli;
mod config;
mod format;
mod kind;
mod loops;
mod rules;
mod run;
mod socket;
mod usage_error;

use std::ffi::OsString;
use std::io::Write;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

use crate::argv::Occurrence;
use crate::cli::Cli;
use crate::config::Config;
use crate::kind::Kind;

/// Why a run stopped early: the exit status and what to print on stderr.
pub struct Failure {
    status: i32,
    message: String,
}

impl Failure {
    fn usage(message: String) -> Failure {
        Failure { status: 1, message }
    }

    fn file(message: String) -> Failure {
        Failure { status: 2, message }
    }

    fn library(message: String) -> Failure {
        Failure { status: 3, message }
    }
}

fn start(all: &[OsString]) -> Result<(), Failure> {
    let program = all.first().map_or_else(|| "nanocat".into(), |p| p.to_string_lossy().into_owned());
    let args = all.get(1..).unwrap_or_default();
    let cmd = Cli::command();
    let matches = match cmd.clone().try_get_matches_from(all) {
        Ok(matches) => matches,
        Err(e) if e.kind() == ErrorKind::DisplayHelp => {
            let _ = e.print();
            return Ok(());
        }
        Err(e) => return Err(Failure::usage(usage_error::message(&program, &cmd, args, &e))),
    };
    let cli = Cli::from_arg_matches(&matches).map_err(|e| Failure::usage(format!("{program}: {e}")))?;

    let mut seen = argv::scan(&cmd, args);
    // Installed as nn_push (and so on), nanocat is given --push by its name.
    if let Some(kind) = Kind::from_program(&program) {
        let spelling = format!("{program} (executable)");
        seen.insert(0, Occurrence { id: kind.option_id().to_string(), spelling });
    }
    rules::check_conflicts(&program, &seen).map_err(Failure::usage)?;
    // nanocat reads the file while reading its options, before the checks
    // that follow.
    let data = config::load_data(&cli)?;
    rules::check_requirements(&program, &cmd, &seen).map_err(Failure::usage)?;
    let config = Config::new(cli, &matches, &seen, data)
        .ok_or_else(|| Failure::usage(format!("{program}: no socket type\n")))?;
    run::run(&config)
}

fn main() {
    // Rust ignores SIGPIPE; nanocat, a C program, dies of it when its
    // reader goes away, which is what a pipeline expects.
    // SAFETY: setting a signal's disposition to the default before any
    // other thread exists has no memory-safety preconditions.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let all: Vec<OsString> = std::env::args_os().collect();
    let status = match start(&all) {
        Ok(()) => 0,
        Err(failure) => {
            let _ = std::io::stderr().write_all(failure.message.as_bytes());
            failure.status
        }
    };
    std::process::exit(status);
}
