//! Drawing. Pure functions of the state: `render(frame, area, &app, &theme)`.
pub mod text;
pub mod theme;
