//! What the terminal can draw: asked once when the reader starts (after the alternate screen,
//! before input is read), as `[images] protocol` says.

use ratatui_image::picker::{Picker, ProtocolType};

use crate::config::ImageProtocol;

/// How pictures are made for this terminal, and whether it has a real graphics protocol
/// (kitty, sixel, iTerm2) rather than half-blocks; `None` when `protocol = "off"`.
pub fn picker_for(protocol: ImageProtocol) -> Option<(Picker, bool)> {
    let queried = || {
        Picker::from_query_stdio().unwrap_or_else(|e| {
            tracing::info!("the terminal did not say what it draws ({e}): half-blocks");
            Picker::halfblocks()
        })
    };
    let forced = |kind: ProtocolType| {
        let mut picker = queried();
        picker.set_protocol_type(kind);
        picker
    };
    let picker = match protocol {
        ImageProtocol::Off => return None,
        ImageProtocol::Auto => queried(),
        ImageProtocol::Halfblocks => Picker::halfblocks(),
        ImageProtocol::Kitty => forced(ProtocolType::Kitty),
        ImageProtocol::Sixel => forced(ProtocolType::Sixel),
        ImageProtocol::Iterm2 => forced(ProtocolType::Iterm2),
    };
    let graphics = picker.protocol_type() != ProtocolType::Halfblocks;
    tracing::info!("pictures drawn with {:?}", picker.protocol_type());
    Some((picker, graphics))
}
