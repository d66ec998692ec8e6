//! Why the console could not start or had to stop, as a typed value that
//! says itself in the lead's language ([`Localize`]); `Display` is the
//! English, for the log.

use crate::config::{ConfigError, PathsError};
use crate::i18n::detail::OsError;
use crate::i18n::{Lang, Localize, Msg, tf};
use crate::source::file::FileKind;
use crate::source::http::SourceError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ConsoleError {
    Config(ConfigError),
    Paths(PathsError),
    Source(SourceError),
    /// A `--file` that cannot be followed (a FIFO, a device, a folder).
    NotFollowable {
        path: std::path::PathBuf,
        kind: FileKind,
    },
    /// A step of the console's own machinery failed.
    Step {
        step: Step,
        err: OsError,
    },
}

/// What the console was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    SourceThread,
    Engine,
    Terminal,
    EventLoop,
    Events,
    Draw,
}

impl Step {
    /// Wraps an OS error of this step.
    pub fn failed(self) -> impl FnOnce(std::io::Error) -> ConsoleError {
        move |e| ConsoleError::Step {
            step: self,
            err: OsError::new(&e),
        }
    }

    pub const ALL: [Step; 6] = [
        Step::SourceThread,
        Step::Engine,
        Step::Terminal,
        Step::EventLoop,
        Step::Events,
        Step::Draw,
    ];
}

impl From<SourceError> for ConsoleError {
    fn from(e: SourceError) -> ConsoleError {
        ConsoleError::Source(e)
    }
}

impl Localize for ConsoleError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ConsoleError::Config(e) => e.localize(lang),
            ConsoleError::Paths(e) => e.localize(lang),
            ConsoleError::Source(e) => e.localize(lang),
            ConsoleError::NotFollowable { path, kind } => {
                tf(lang, kind.refusal(), &[&path.display()])
            }
            ConsoleError::Step { step, err } => {
                let m = match step {
                    Step::SourceThread => Msg::RunSourceThread,
                    Step::Engine => Msg::RunEngine,
                    Step::Terminal => Msg::RunTerminal,
                    Step::EventLoop => Msg::RunEventLoop,
                    Step::Events => Msg::RunEvents,
                    Step::Draw => Msg::RunDraw,
                };
                tf(lang, m, &[&err.localize(lang)])
            }
        }
    }
}

crate::english_display!(ConsoleError);

impl ConsoleError {
    /// One example of every variant, for the catalogue tests.
    #[doc(hidden)]
    pub fn examples() -> Vec<ConsoleError> {
        let os = OsError::new(&std::io::Error::from_raw_os_error(5));
        let mut v = vec![
            ConsoleError::Paths(PathsError::NoHomeForData),
            ConsoleError::Source(SourceError::NeedsToken(crate::source::error::Service::Rt)),
            ConsoleError::NotFollowable {
                path: "/tmp/floor.fifo".into(),
                kind: FileKind::Fifo,
            },
        ];
        v.extend(Step::ALL.map(|step| ConsoleError::Step {
            step,
            err: os.clone(),
        }));
        v
    }
}
