//! A password as the config gives it: written there, in an environment variable, or printed by a
//! command. Shared by `[sync]` and `[[feed]]`; pure: the password is only looked up (environment,
//! command) when it is needed, by [`crate::password`].

use std::fmt;

use toml::Spanned;

use super::error::ConfigError;

/// A password (or a header value that works as one); never shown in `Debug` output or messages.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: impl Into<String>) -> Secret {
        Secret(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Where the password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// `password = "..."` in the config.
    Literal(Secret),
    /// `password_env = "NAME"`: the environment variable NAME.
    Env(String),
    /// `password_command = ["pass", "show", "feeds"]`: the first line the command prints. Run as
    /// argv, never through a shell.
    Command(Vec<String>),
}

/// The three keys a password may be written with, as a table has them.
pub struct PasswordFields<'a> {
    pub password: Option<&'a Spanned<String>>,
    pub password_env: Option<&'a Spanned<String>>,
    pub password_command: Option<&'a Spanned<Vec<String>>>,
}

impl PasswordFields<'_> {
    /// Whether any of the three is written.
    pub fn any(&self) -> bool {
        self.password.is_some() || self.password_env.is_some() || self.password_command.is_some()
    }
}

/// At most one of `password`, `password_env` and `password_command`, and where it is written;
/// `Ok(None)` when none is. `table` names the table in messages ("[sync]", "[[feed]]"). Each
/// mistake is added to `errors`.
pub fn password_source(
    fields: &PasswordFields<'_>,
    table: &str,
    at: &impl Fn(usize, String) -> ConfigError,
    errors: &mut Vec<ConfigError>,
) -> Option<(PasswordSource, usize)> {
    let mut given: Vec<(PasswordSource, usize)> = Vec::new();
    if let Some(p) = fields.password {
        given.push((PasswordSource::Literal(Secret::new(p.get_ref().clone())), p.span().start));
    }
    if let Some(name) = fields.password_env {
        let var = name.get_ref().trim();
        if var.is_empty() || var.contains('=') || var.contains('\0') {
            errors.push(at(
                name.span().start,
                format!("`password_env` must name an environment variable, not \"{var}\""),
            ));
        }
        given.push((PasswordSource::Env(var.to_string()), name.span().start));
    }
    if let Some(argv) = fields.password_command {
        if argv.get_ref().first().is_none_or(|program| program.trim().is_empty()) {
            errors.push(at(
                argv.span().start,
                "`password_command` must name a program, like password_command = [\"pass\", \"show\", \"feeds\"]"
                    .into(),
            ));
        }
        given.push((PasswordSource::Command(argv.get_ref().clone()), argv.span().start));
    }
    if given.len() > 1 {
        errors.push(at(
            given[1].1,
            format!("give only one of `password`, `password_env` and `password_command` in {table}"),
        ));
        return None;
    }
    given.pop()
}
