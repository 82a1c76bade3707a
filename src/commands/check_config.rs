use std::process::ExitCode;

use crate::session::{Options, load_settings};

/// `tidings check-config`: validates the config and says what it found.
pub async fn check_config(options: &Options) -> ExitCode {
    match load_settings(options).await {
        Ok((settings, _demo)) => {
            for warning in &settings.warnings {
                eprintln!("tidings: {warning}");
            }
            let enabled = settings.feeds.iter().filter(|f| f.enabled).count();
            println!("{}: valid, {} feeds ({enabled} enabled)", settings.origin, settings.feeds.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tidings: {e}");
            ExitCode::FAILURE
        }
    }
}
