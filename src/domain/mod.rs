//! The pure domain core: records, the floor they build, KPI math, SLA timers,
//! spot-check sampling and staffing. No I/O and no terminal in here.

pub mod agents;
pub mod alerts;
pub mod calendar;
pub mod channels;
pub mod coverage;
pub mod customers;
pub mod erlang;
pub mod feedback;
pub mod floor;
pub mod followup;
pub mod forecast;
pub mod glance;
pub mod handover;
pub mod id;
pub mod intern;
pub mod kpi;
pub mod live;
pub mod notes;
pub mod qa;
pub mod record;
#[cfg(test)]
mod reference_tests;
pub mod report;
pub mod sampling;
#[cfg(test)]
mod scan_tests;
pub mod scorecard;
pub mod settings;
pub mod shifts;
pub mod sla;
pub mod snapshot;
pub mod source_id;
pub mod staffing;
pub mod status;
#[cfg(any(test, feature = "testkit"))]
pub mod testkit;
pub mod time;
pub mod window;

pub use floor::Floor;
pub use id::Id;
pub use intern::{Interner, Sym};
pub use record::*;
pub use settings::{Direction, KpiKey, Settings, Status, Target};
pub use snapshot::*;
pub use source_id::SourceId;
pub use time::Ts;
