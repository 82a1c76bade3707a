use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use tidings::cli::{Cli, Command};
use tidings::commands;
use tidings::session::{Options, Session, SessionError};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Completions { shell }) = &cli.command {
        clap_complete::generate(*shell, &mut Cli::command(), "tidings", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let (_log_file, _log_guard) = tidings::logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tidings: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("tidings: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, SessionError> {
    let options = Options { config: cli.config, cache: cli.cache, demo: cli.demo };
    match cli.command {
        Some(Command::CheckConfig) => Ok(commands::check_config(&options).await),
        Some(Command::ImportOpml { file }) => commands::import_opml(&options, &file),
        Some(Command::ExportOpml) => commands::export_opml(&options).await,
        Some(Command::Poll { all, feed }) => {
            let session = Session::open(&options).await?;
            commands::poll(&session, all, feed.as_deref()).await
        }
        Some(Command::Feeds) => {
            let session = Session::open(&options).await?;
            commands::list_feeds(&session)
        }
        Some(Command::Completions { .. }) => Ok(ExitCode::SUCCESS),
        None => {
            let _session = Session::open(&options).await?;
            eprintln!("tidings: the reading interface is not built yet; use `tidings poll` and `tidings feeds`.");
            Ok(ExitCode::FAILURE)
        }
    }
}
