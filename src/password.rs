//! Looking a password up where the config says ([`PasswordSource`]): the config itself, an
//! environment variable, or the first line a command prints. The command runs as argv, never
//! through a shell, with no standard input, under a time-out; its standard error is kept for the
//! message rather than let onto the terminal. No message here ever holds the password.

use std::process::Stdio;
use std::time::Duration;

use crate::config::{PasswordSource, Secret};

/// The longest a `password_command` may take (a pinentry prompt included).
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// Why no password was found. `at` in each is where the source is written ("config.toml:5:20").
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the environment variable {name} ({at}) is unset or empty")]
    EnvUnset { name: String, at: String },
    #[error("password_command ({at}) is empty")]
    NoProgram { at: String },
    #[error("cannot run password_command \"{program}\" ({at}): {reason}")]
    Spawn { program: String, at: String, reason: String },
    #[error("password_command \"{program}\" ({at}) failed: {status}{said}")]
    Failed { program: String, at: String, status: String, said: String },
    #[error("password_command \"{program}\" ({at}) did not finish within {}s", .timeout.as_secs())]
    TimedOut { program: String, at: String, timeout: Duration },
    #[error("password_command \"{program}\" ({at}) printed nothing")]
    Empty { program: String, at: String },
    #[error("password_command \"{program}\" ({at}) printed no text")]
    NotText { program: String, at: String },
}

/// The password of `source`, written at `at`.
pub async fn resolve(source: &PasswordSource, at: &str) -> Result<Secret, PasswordError> {
    match source {
        PasswordSource::Literal(secret) => Ok(secret.clone()),
        PasswordSource::Env(name) => match std::env::var(name) {
            Ok(value) if !value.is_empty() => Ok(Secret::new(value)),
            _ => Err(PasswordError::EnvUnset { name: name.clone(), at: at.to_string() }),
        },
        PasswordSource::Command(argv) => run_command(argv, at, COMMAND_TIMEOUT).await,
    }
}

async fn run_command(argv: &[String], at: &str, timeout: Duration) -> Result<Secret, PasswordError> {
    let Some((program, args)) = argv.split_first() else {
        return Err(PasswordError::NoProgram { at: at.to_string() });
    };
    let (program_name, at_text) = (crate::sanitize::clean_line(program), at.to_string());
    let output = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = match tokio::time::timeout(timeout, output).await {
        Err(_) => return Err(PasswordError::TimedOut { program: program_name, at: at_text, timeout }),
        Ok(Err(e)) => return Err(PasswordError::Spawn { program: program_name, at: at_text, reason: e.to_string() }),
        Ok(Ok(output)) => output,
    };
    if !output.status.success() {
        let first = String::from_utf8_lossy(&output.stderr).lines().find(|l| !l.trim().is_empty()).map(|l| {
            let line = crate::sanitize::clean_line(l);
            format!(": {}", line.chars().take(200).collect::<String>())
        });
        return Err(PasswordError::Failed {
            program: program_name,
            at: at_text,
            status: output.status.to_string(),
            said: first.unwrap_or_default(),
        });
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| PasswordError::NotText { program: program_name.clone(), at: at_text.clone() })?;
    match text.lines().next() {
        Some(first) if !first.is_empty() => Ok(Secret::new(first)),
        _ => Err(PasswordError::Empty { program: program_name, at: at_text }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(words: &[&str]) -> PasswordSource {
        PasswordSource::Command(words.iter().map(|w| w.to_string()).collect())
    }

    #[tokio::test]
    async fn a_command_gives_its_first_line() {
        let secret = resolve(&command(&["printf", "%s\\nsecond", "s3cret"]), "c:1:1").await.expect("printed");
        assert_eq!(secret.expose(), "s3cret");
    }

    #[tokio::test]
    async fn a_failing_command_says_what_it_said_on_one_line() {
        let error = resolve(&command(&["sh", "-c", "echo 'no such entry' >&2; exit 3"]), "c:4:2").await;
        let text = error.expect_err("failed").to_string();
        assert_eq!(text, "password_command \"sh\" (c:4:2) failed: exit status: 3: no such entry");
        let missing = resolve(&command(&["/nonexistent/tidings-pw"]), "c:1:1").await.expect_err("no program");
        assert!(missing.to_string().starts_with("cannot run password_command \"/nonexistent/tidings-pw\""));
        let empty = resolve(&command(&["true"]), "c:1:1").await.expect_err("nothing printed");
        assert_eq!(empty.to_string(), "password_command \"true\" (c:1:1) printed nothing");
    }

    #[tokio::test]
    async fn a_command_that_hangs_is_stopped() {
        let argv = ["sleep".to_string(), "30".to_string()];
        let error = run_command(&argv, "c:1:1", Duration::from_millis(100)).await.expect_err("timed out");
        assert_eq!(error.to_string(), "password_command \"sleep\" (c:1:1) did not finish within 0s");
    }
}
