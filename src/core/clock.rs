//! Where "now" comes from: the system clock, or a fixed moment (tests, reproducible runs); the
//! one way moments are written (ISO 8601 with the UTC offset, to the second).

/// Where "now" comes from: the system clock, or a fixed moment (tests, reproducible runs).
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The local time of the machine.
    #[default]
    System,
    /// This moment, as written (ISO 8601 with the offset).
    Fixed(String),
}

impl Clock {
    /// The moment, ISO 8601 with the UTC offset, to the second.
    pub fn now(&self) -> String {
        match self {
            Clock::System => iso(chrono::Local::now()),
            Clock::Fixed(s) => s.clone(),
        }
    }
}

/// A moment as the archive writes it: `2022-06-03T09:30:00+08:00`.
pub fn iso(t: chrono::DateTime<chrono::Local>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}
