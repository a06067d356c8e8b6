//! The ten socket types nanocat offers: their protocol numbers, the option
//! that picks each one, and the program names (`nn_push`, ...) that pick
//! one when nanocat is installed under them.

use std::ffi::c_int;
use std::path::Path;

use crate::rules::SOCKET_TYPES;

/// One scalability-protocol socket type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Push,
    Pull,
    Pub,
    Sub,
    Req,
    Rep,
    Surveyor,
    Respondent,
    Bus,
    Pair,
}

/// In the order of `rules::SOCKET_TYPES`.
const ALL: [Kind; 10] = [
    Kind::Push,
    Kind::Pull,
    Kind::Pub,
    Kind::Sub,
    Kind::Req,
    Kind::Rep,
    Kind::Surveyor,
    Kind::Respondent,
    Kind::Bus,
    Kind::Pair,
];

impl Kind {
    /// The protocol number of nn.h (NN_PUSH, ...).
    pub fn protocol(self) -> c_int {
        match self {
            Kind::Pair => 16,
            Kind::Pub => 32,
            Kind::Sub => 33,
            Kind::Req => 48,
            Kind::Rep => 49,
            Kind::Push => 80,
            Kind::Pull => 81,
            Kind::Surveyor => 98,
            Kind::Respondent => 99,
            Kind::Bus => 112,
        }
    }

    /// The clap id of the option that selects this type.
    pub fn option_id(self) -> &'static str {
        SOCKET_TYPES[ALL.iter().position(|&k| k == self).unwrap_or(0)]
    }

    /// The type an option id selects.
    pub fn from_option_id(id: &str) -> Option<Kind> {
        SOCKET_TYPES.iter().position(|&t| t == id).map(|i| ALL[i])
    }

    /// The type a program name selects: `nn_push` is nanocat with --push.
    pub fn from_program(program: &str) -> Option<Kind> {
        let name = Path::new(program).file_name()?.to_str()?;
        let wanted = name.strip_prefix("nn_")?;
        ALL.into_iter().find(|k| k.option_id().trim_end_matches('_') == wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_names() {
        assert_eq!(Kind::from_program("/usr/local/bin/nn_pub"), Some(Kind::Pub));
        assert_eq!(Kind::from_program("nn_respondent"), Some(Kind::Respondent));
        assert_eq!(Kind::from_program("nanocat"), None);
        assert_eq!(Kind::from_program("nn_bogus"), None);
        assert_eq!(Kind::from_option_id("pub_"), Some(Kind::Pub));
        assert_eq!(Kind::Surveyor.option_id(), "surveyor");
    }
}
