//! Polled sources (an HTTP feed, a CRM) on a thread and runtime of their
//! own: the poller's owned batches go to the engine over a channel.

use anyhow::Context;

use crate::source::poll::Restart;

/// Runs a polled source (HTTP feed, CRM) on its own thread and runtime and
/// hands its owned batches to the engine over a channel; the [`Restart`]
/// makes it start again from the full state at once (the lead's `r`).
pub fn spawn_polled_source(
    spec: crate::source::spec::SourceSpec,
    settings: crate::source::poll::SourceSettings,
) -> anyhow::Result<(
    std::sync::mpsc::Receiver<crate::source::poll::SourceEvent>,
    Restart,
)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let restart = Restart::default();
    let task_restart = restart.clone();
    std::thread::Builder::new()
        .name("shiftdeck-source".into())
        .spawn(move || {
            let rt = match crate::source::local_runtime() {
                Ok(rt) => rt,
                Err(e) => {
                    tracing::error!("source runtime: {e}");
                    return;
                }
            };
            rt.block_on(async move {
                let (atx, mut arx) = tokio::sync::mpsc::channel(16);
                let _task =
                    crate::source::spec::spawn_restartable(spec, settings, atx, task_restart);
                while let Some(ev) = arx.recv().await {
                    if tx.send(ev).is_err() {
                        break; // the engine is gone
                    }
                }
            });
        })
        .context("starting the source thread")?;
    Ok((rx, restart))
}
