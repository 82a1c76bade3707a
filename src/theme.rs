//! Colours, from the config's `[theme]` table. With `NO_COLOR` set (or `color = false`) only
//! bold, dim, reversed and underline are used.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub color: bool,
    pub accent: Color,
    pub unread: Color,
    pub read: Color,
    pub star: Color,
    pub error: Color,
    pub selection: Color,
    pub dim: Color,
    pub link: Color,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            color: true,
            accent: Color::Cyan,
            unread: Color::White,
            read: Color::Gray,
            star: Color::Yellow,
            error: Color::Red,
            selection: Color::Blue,
            dim: Color::DarkGray,
            link: Color::LightBlue,
        }
    }
}

impl Theme {
    pub fn without_color(mut self) -> Theme {
        self.color = false;
        self
    }

    fn fg(&self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    pub fn unread(&self) -> Style {
        self.fg(self.unread).add_modifier(Modifier::BOLD)
    }
    pub fn read(&self) -> Style {
        self.fg(self.read)
    }
    pub fn star(&self) -> Style {
        self.fg(self.star)
    }
    pub fn error(&self) -> Style {
        self.fg(self.error).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.color { self.fg(self.dim) } else { Style::new().add_modifier(Modifier::DIM) }
    }
    pub fn link(&self) -> Style {
        self.fg(self.link).add_modifier(Modifier::UNDERLINED)
    }
    pub fn title(&self) -> Style {
        self.fg(self.accent).add_modifier(Modifier::BOLD)
    }
    pub fn border(&self, focused: bool) -> Style {
        if focused { self.fg(self.accent) } else { self.dim() }
    }
    /// The selected row: reversed when the pane has focus, underlined when it has not.
    pub fn selected(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().bg(self.selection).fg(Color::White).add_modifier(Modifier::BOLD),
            (true, false) => Style::new().add_modifier(Modifier::REVERSED),
            (false, _) => Style::new().add_modifier(Modifier::UNDERLINED),
        }
    }
}
