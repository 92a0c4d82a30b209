//! Colours and emphasis in one place. With NO_COLOR set, no colour is used at all; every
//! meaning colour carries is also carried by text or by bold, underline or reverse video.

use ratatui::style::{Color, Modifier, Style};

use sanctuary::guide::Risk;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub colour: bool,
}

impl Theme {
    /// Colour unless NO_COLOR is set to anything non-empty (https://no-color.org).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { colour: !no_color }
    }

    fn fg(self, colour: Color) -> Style {
        if self.colour {
            Style::new().fg(colour)
        } else {
            Style::new()
        }
    }

    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn heading(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn muted(self) -> Style {
        if self.colour {
            Style::new().fg(Color::Gray)
        } else {
            Style::new()
        }
    }

    pub fn key(self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn warning(self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    /// The risk label's style; the label text itself always names the level.
    pub fn risk(self, risk: Risk) -> Style {
        let style = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
        if !self.colour {
            return style;
        }
        let colour = match risk {
            Risk::Low => Color::Green,
            Risk::Medium => Color::Yellow,
            Risk::High => Color::LightRed,
            Risk::Urgent => Color::Red,
        };
        style.fg(colour)
    }
}
