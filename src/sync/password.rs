//! The sync password, from where `[sync]` says: the config, an environment variable, or the
//! first line a command prints (run as argv, never through a shell). Nothing here ever puts the
//! password in a message.

use std::process::{Command, Stdio};

use super::SyncError;
use crate::config::{PasswordSource, Secret, SyncSettings};

pub async fn resolve(sync: &SyncSettings) -> Result<Secret, SyncError> {
    let at = &sync.password_at;
    match &sync.password {
        PasswordSource::Literal(secret) => Ok(secret.clone()),
        PasswordSource::Env(name) => match std::env::var(name) {
            Ok(value) if !value.is_empty() => Ok(Secret::new(value)),
            _ => Err(SyncError::Password(format!("the environment variable {name} ({at}) is unset or empty"))),
        },
        PasswordSource::Command(argv) => {
            let argv = argv.clone();
            let at = at.clone();
            tokio::task::spawn_blocking(move || run_command(&argv, &at))
                .await
                .map_err(|e| SyncError::Password(format!("password_command did not finish: {e}")))?
        }
    }
}

fn run_command(argv: &[String], at: &str) -> Result<Secret, SyncError> {
    let Some((program, args)) = argv.split_first() else {
        return Err(SyncError::Password(format!("password_command ({at}) is empty")));
    };
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| SyncError::Password(format!("cannot run password_command \"{program}\" ({at}): {e}")))?;
    if !output.status.success() {
        return Err(SyncError::Password(format!("password_command \"{program}\" ({at}) failed: {}", output.status)));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| SyncError::Password(format!("password_command \"{program}\" ({at}) printed no text")))?;
    let first = text.lines().next().unwrap_or("");
    if first.is_empty() {
        return Err(SyncError::Password(format!("password_command \"{program}\" ({at}) printed nothing")));
    }
    Ok(Secret::new(first))
}
