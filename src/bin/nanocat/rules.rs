//! nanocat's rules on combining options, checked once clap has read the
//! command line: one socket type, one source of data, options that only
//! make sense with some socket types, and the two things every run needs
//! (a socket type and an endpoint). Each broken rule gives the message
//! nanocat prints for it; the caller exits with status 1.

use clap::{Arg, Command};

use crate::argv::Occurrence;

/// The socket-type options, as clap names them, in nanocat's order.
pub const SOCKET_TYPES: [&str; 10] = ["push", "pull", "pub_", "sub", "req", "rep", "surveyor", "respondent", "bus", "pair"];
const ENDPOINTS: [&str; 6] = ["bind", "connect", "bind_ipc", "connect_ipc", "bind_local", "connect_local"];
const DATA: [&str; 2] = ["data", "file"];
const RECEIVERS: [&str; 8] = ["pull", "sub", "req", "rep", "surveyor", "respondent", "bus", "pair"];
const SENDERS: [&str; 8] = ["push", "pub_", "req", "rep", "surveyor", "respondent", "bus", "pair"];

/// Groups whose members exclude each other, and themselves when repeated.
const EXCLUSIVE: [&[&str]; 2] = [&SOCKET_TYPES, &DATA];

/// Options that are only given together with one of some others.
const NEEDS: [(&[&str], &[&str]); 4] = [
    // These send and have nothing to send without data.
    (&["push", "pub_", "req", "surveyor"], &DATA),
    (&["recv_timeout", "format", "raw", "ascii", "quoted", "msgpack", "hex"], &RECEIVERS),
    (&["send_timeout", "interval", "data", "file"], &SENDERS),
    (&["subscribe"], &["sub"]),
];

/// The first option repeated from an exclusive group: the message naming
/// the later one and the one it clashes with.
pub fn check_conflicts(program: &str, seen: &[Occurrence]) -> Result<(), String> {
    for group in EXCLUSIVE {
        let mut members = seen.iter().filter(|o| group.contains(&o.id.as_str()));
        if let (Some(first), Some(second)) = (members.next(), members.next()) {
            return Err(format!(
                "{program}: Option {} conflicts with the following options:\n    {} \n",
                second.spelling, first.spelling
            ));
        }
    }
    Ok(())
}

/// The first option (in nanocat's order) given without what it needs,
/// then a missing socket type or endpoint.
pub fn check_requirements(program: &str, cmd: &Command, seen: &[Occurrence]) -> Result<(), String> {
    let present = |id: &str| seen.iter().any(|o| o.id == id);
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        let Some(first) = seen.iter().find(|o| o.id == id) else {
            continue;
        };
        for (options, any_of) in NEEDS {
            if options.contains(&id) && !any_of.iter().any(|n| present(n)) {
                return Err(format!(
                    "{program}: Option {} requires at least one of the following options:\n{}",
                    first.spelling,
                    listing(cmd, any_of)
                ));
            }
        }
    }
    let missing: Vec<&str> = [&SOCKET_TYPES[..], &ENDPOINTS[..]]
        .into_iter()
        .filter(|group| !group.iter().any(|id| present(id)))
        .flatten()
        .copied()
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!("{program}: At least one of the following required:\n{}", listing(cmd, &missing)))
}

/// Options as nanocat lists them: each long name, then its short form,
/// one to a line.
fn listing(cmd: &Command, ids: &[&str]) -> String {
    let mut text = String::new();
    for arg in cmd.get_arguments().filter(|a| ids.contains(&a.get_id().as_str())) {
        text.push_str(&names(arg).map(|n| format!("    {n}\n")).collect::<String>());
    }
    text
}

fn names(arg: &Arg) -> impl Iterator<Item = String> + '_ {
    let long = arg.get_long().map(|l| format!("--{l}"));
    let short = arg.get_short().map(|s| format!("-{s}"));
    long.into_iter().chain(short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    fn seen(list: &[(&str, &str)]) -> Vec<Occurrence> {
        list.iter().map(|(id, s)| Occurrence { id: id.to_string(), spelling: s.to_string() }).collect()
    }

    #[test]
    fn a_second_socket_type_conflicts() {
        let got = check_conflicts("nc", &seen(&[("pull", "--pull"), ("bind", "--bind"), ("push", "--push")]));
        assert_eq!(got, Err("nc: Option --push conflicts with the following options:\n    --pull \n".into()));
        let got = check_conflicts("nc", &seen(&[("data", "-D (--data)"), ("data", "--data")]));
        assert_eq!(got, Err("nc: Option --data conflicts with the following options:\n    -D (--data) \n".into()));
        assert_eq!(check_conflicts("nc", &seen(&[("ascii", "-A"), ("quoted", "-Q")])), Ok(()));
    }

    #[test]
    fn needs_and_required_sets() {
        let cmd = Cli::command();
        let got = check_requirements("nc", &cmd, &seen(&[("push", "--push"), ("bind", "--bind")]));
        let want = "nc: Option --push requires at least one of the following options:\n    --data\n    -D\n    --file\n    -F\n";
        assert_eq!(got, Err(want.into()));
        let got = check_requirements("nc", &cmd, &seen(&[("pull", "--pull")]));
        assert!(got.unwrap_err().starts_with("nc: At least one of the following required:\n    --bind\n    --connect\n    --bind-ipc\n    -X\n"));
        let got = check_requirements("nc", &cmd, &seen(&[])).unwrap_err();
        assert!(got.contains("    --pair\n    --bind\n"), "{got}");
        let ok = seen(&[("sub", "--sub"), ("subscribe", "--subscribe"), ("connect", "--connect")]);
        assert_eq!(check_requirements("nc", &cmd, &ok), Ok(()));
    }
}
