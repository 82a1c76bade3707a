//! `tidings keys`: the keys the reader will use, after the config's preset and `[keys]`.

use std::process::ExitCode;

use crate::keys::table;
use crate::session::{Options, load_settings};

pub async fn print_keys(options: &Options, markdown: bool) -> ExitCode {
    match load_settings(options).await {
        Ok((settings, _demo)) => {
            let keymap = &settings.ui.keymap;
            print!("{}", if markdown { table::markdown(keymap) } else { table::plain(keymap) });
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tidings: {e}");
            ExitCode::FAILURE
        }
    }
}
