//! What the terminal can draw, from what it says of itself in the environment (`TERM`,
//! `TERM_PROGRAM`, `KITTY_WINDOW_ID`, ...), as `[images] protocol` says.
//!
//! The terminal is never asked on standard input. ratatui-image's query reads the answer on a
//! thread of its own that, when a terminal does not answer (a plain xterm, the Linux console,
//! many tmux and ssh set-ups), stays blocked reading after its time-out: it then swallows the
//! user's first keys and, once it has them, turns raw mode off under the reader. Cell sizes are
//! taken as the common 10x20 pixels, as `Picker::halfblocks` has them (pictures are scaled to
//! their box either way).

use ratatui_image::picker::{Picker, ProtocolType};

use crate::config::ImageProtocol;

/// The graphics protocol a terminal announces through these environment variables, if any.
pub fn announced_protocol(var: impl Fn(&str) -> Option<String>) -> Option<ProtocolType> {
    let term = var("TERM").unwrap_or_default();
    let program = var("TERM_PROGRAM").unwrap_or_default();
    if var("KITTY_WINDOW_ID").is_some() || term == "xterm-kitty" || program == "ghostty" || term == "xterm-ghostty" {
        return Some(ProtocolType::Kitty);
    }
    if program == "iTerm.app" || program == "WezTerm" || var("WEZTERM_EXECUTABLE").is_some() {
        return Some(ProtocolType::Iterm2);
    }
    if term.starts_with("foot") || term.starts_with("mlterm") || term == "yaft-256color" || program == "contour" {
        return Some(ProtocolType::Sixel);
    }
    None
}

/// How pictures are made for this terminal, and whether it has a real graphics protocol
/// (kitty, sixel, iTerm2) rather than half-blocks; `None` when `protocol = "off"`.
pub fn picker_for(protocol: ImageProtocol) -> Option<(Picker, bool)> {
    let with = |kind: ProtocolType| {
        let mut picker = Picker::halfblocks();
        picker.set_protocol_type(kind);
        picker
    };
    let picker = match protocol {
        ImageProtocol::Off => return None,
        ImageProtocol::Auto => match announced_protocol(|name| std::env::var(name).ok()) {
            Some(kind) => with(kind),
            None => Picker::halfblocks(),
        },
        ImageProtocol::Halfblocks => Picker::halfblocks(),
        ImageProtocol::Kitty => with(ProtocolType::Kitty),
        ImageProtocol::Sixel => with(ProtocolType::Sixel),
        ImageProtocol::Iterm2 => with(ProtocolType::Iterm2),
    };
    let graphics = picker.protocol_type() != ProtocolType::Halfblocks;
    tracing::info!("pictures drawn with {:?}", picker.protocol_type());
    Some((picker, graphics))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_protocol_comes_from_what_the_terminal_announces() {
        assert_eq!(announced_protocol(env(&[("TERM", "xterm-kitty")])), Some(ProtocolType::Kitty));
        assert_eq!(announced_protocol(env(&[("KITTY_WINDOW_ID", "1"), ("TERM", "xterm")])), Some(ProtocolType::Kitty));
        assert_eq!(announced_protocol(env(&[("TERM_PROGRAM", "iTerm.app")])), Some(ProtocolType::Iterm2));
        assert_eq!(announced_protocol(env(&[("TERM_PROGRAM", "WezTerm")])), Some(ProtocolType::Iterm2));
        assert_eq!(announced_protocol(env(&[("TERM", "foot")])), Some(ProtocolType::Sixel));
        assert_eq!(announced_protocol(env(&[("TERM", "xterm-256color")])), None);
        assert_eq!(announced_protocol(env(&[])), None);
    }

    #[test]
    fn auto_never_reads_the_terminal_and_off_draws_nothing() {
        assert!(picker_for(ImageProtocol::Off).is_none());
        let (picker, graphics) = picker_for(ImageProtocol::Halfblocks).expect("half-blocks");
        assert_eq!((picker.protocol_type(), graphics), (ProtocolType::Halfblocks, false));
        let (picker, graphics) = picker_for(ImageProtocol::Kitty).expect("kitty");
        assert_eq!((picker.protocol_type(), graphics), (ProtocolType::Kitty, true));
    }
}
