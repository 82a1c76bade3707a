//! `[notify]` validated: whether and how the reader tells of new items after a background poll.
//! Pure: nothing is written or run here.

use super::error::ConfigError;
use super::file::{NotifyKind, NotifyTable};

/// How new items are told.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum NotifyMethod {
    /// Not at all (the default).
    #[default]
    Off,
    /// The terminal's own notification, asked for with OSC 9.
    Osc9,
    /// The terminal's own notification, asked for with OSC 777 (title and text apart).
    Osc777,
    /// A command, run as these words (never through a shell) with the title and the text added
    /// as two more arguments.
    Command(Vec<String>),
}

/// The `[notify]` table; each mistake is added to `errors` (the method is then off).
pub fn notify_method(table: &NotifyTable, text: &str, origin: &str, errors: &mut Vec<ConfigError>) -> NotifyMethod {
    let kind = table.method.as_ref().map_or(NotifyKind::Off, |m| *m.get_ref());
    let at = |value: usize, message: &str| ConfigError::at(origin, text, value, message);
    match (kind, &table.command) {
        (NotifyKind::Command, Some(command)) => match command.get_ref().first() {
            Some(program) if !program.trim().is_empty() => NotifyMethod::Command(command.get_ref().clone()),
            _ => {
                let message =
                    "`command` needs the program first, like command = [\"notify-send\", \"-a\", \"tidings\"]";
                errors.push(at(command.span().start, message));
                NotifyMethod::Off
            }
        },
        (NotifyKind::Command, None) => {
            let start = table.method.as_ref().map_or(0, |m| m.span().start);
            let message = "method = \"command\" needs `command`, like command = [\"notify-send\", \"-a\", \"tidings\"]";
            errors.push(at(start, message));
            NotifyMethod::Off
        }
        (_, Some(command)) => {
            errors.push(at(command.span().start, "`command` is only used with method = \"command\""));
            NotifyMethod::Off
        }
        (NotifyKind::Off, None) => NotifyMethod::Off,
        (NotifyKind::Osc9, None) => NotifyMethod::Osc9,
        (NotifyKind::Osc777, None) => NotifyMethod::Osc777,
    }
}
