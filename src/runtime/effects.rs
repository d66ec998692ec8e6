//! The effects runner: does what `App::update` asked for (engine commands,
//! the store's reads and writes, the config re-read) and feeds each result
//! back into the app as an action. The console's loop uses it, and so can
//! any front end that drives an `App`.

use std::sync::mpsc::Sender;

use crate::app::state::{Action, App, ClaimAnswer, Effect, EngineCmd, KpiNoteEntry};
use crate::config;
use crate::domain::KpiKey;
use crate::i18n::{Localize, Msg, t, tf};
use crate::store::Store;

/// How long opening a scorecard holds it for this lead (renewed when the
/// lead opens it again; released on save or cancel).
pub const CLAIM_FOR_S: i64 = 15 * 60;

/// Reads again what other consoles may have changed: the follow-up events,
/// this week's notes, the day's scores on show, the outbox summary (the
/// store's watcher saw its change stamp move, or the store came back).
pub fn reload_shared(app: &mut App, store: &Store) {
    load_entries(app, store);
    let mut effects = Vec::new();
    if let Some(day) = app.scores.day {
        effects.push(Effect::LoadScores(day));
    }
    effects.push(Effect::CheckOutbox);
    run_effects(app, effects, Some(store), None);
}

/// The store's watcher saw another console's write (or the store came
/// back): the app reads its entries again ([`reload_shared`]), and when
/// `engine` (scores, alerts and their acknowledgements, handover
/// acknowledgements moved) the engine computes a view now, which reads
/// them from its own handle, so an alert acknowledged on another console
/// shows as acknowledged here within the watcher's second.
pub fn reload_after_change(
    app: &mut App,
    store: &Store,
    engine: bool,
    commands: Option<&Sender<EngineCmd>>,
) {
    reload_shared(app, store);
    if engine {
        run_effects(
            app,
            vec![Effect::Engine(EngineCmd::StoreChanged)],
            Some(store),
            commands,
        );
    }
}

/// Reads the lead's stored entries the app starts with: every follow-up
/// event (merged over the feed on the board) and this week's KPI notes (so
/// the note prompt can prefill them). A failed read is logged; the console
/// runs without them.
pub fn load_entries(app: &mut App, store: &Store) {
    match store.all_feedback_events() {
        Ok(list) => {
            app.update(Action::Followups(
                list.iter().filter_map(|e| e.to_followup()).collect(),
            ));
        }
        Err(e) => tracing::warn!(error = %e, "reading follow-up events"),
    }
    let week = app.current_week();
    match store.kpi_notes(&week) {
        Ok(list) => {
            app.update(Action::KpiNotes(
                list.into_iter().filter_map(kpi_note_entry).collect(),
            ));
        }
        Err(e) => tracing::warn!(error = %e, "reading KPI notes"),
    }
}

/// Runs what `update` asked for: engine commands, and the store's reads and
/// writes, whose results go back into the app as actions. A scorecard is
/// reported saved only after `save_score` returned Ok (the row is durable);
/// without a writable store the form keeps the input and says why.
pub fn run_effects(
    app: &mut App,
    effects: Vec<Effect>,
    store: Option<&Store>,
    commands: Option<&Sender<EngineCmd>>,
) {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        let follow = match effect {
            // `update` already marked the app as quitting; the loop ends.
            Effect::Quit => Vec::new(),
            Effect::Engine(cmd) => {
                if let Some(c) = commands {
                    let _ = c.send(cmd);
                }
                Vec::new()
            }
            Effect::SaveScore(score) => {
                let result = writable_store(store, app).and_then(|s| {
                    match s.save_score_with_outbox(&score).map(|(id, _)| id) {
                        Ok(id) => {
                            let mut saved = score;
                            saved.id = Some(id);
                            Ok(saved)
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, contact = %score.contact, "score not saved");
                            Err(e.localize(app.lang))
                        }
                    }
                });
                app.update(Action::ScoreSaved(result))
            }
            Effect::LoadAgentScores { agent, from, to } => {
                // Kept by the agent stored with each score (the contact's
                // agent when it was sampled).
                let list = match store.map(|s| s.scores(from, to)) {
                    Some(Ok(list)) => list.into_iter().filter(|s| s.agent == agent).collect(),
                    Some(Err(e)) => {
                        tracing::warn!(error = %e, "reading the agent's scorecards");
                        Vec::new()
                    }
                    None => Vec::new(),
                };
                app.update(Action::AgentScores(agent, list))
            }
            Effect::LoadScores(day) => {
                let list = match store.map(|s| s.scores(day, day)) {
                    Some(Ok(list)) => list,
                    Some(Err(e)) => {
                        tracing::warn!(error = %e, "reading the day's scorecards");
                        Vec::new()
                    }
                    None => Vec::new(),
                };
                app.update(Action::Scores(day, list))
            }
            Effect::SaveFollowup(event) => {
                let row = crate::store::NewFeedbackEvent {
                    item: event.item.clone(),
                    at: event.at,
                    author: app.author.clone(),
                    change: crate::store::FeedbackChange::from_change(&event.change),
                };
                let result = match writable_store(store, app).and_then(|s| {
                    s.add_feedback_event_with_outbox(&row)
                        .map_err(|e| e.localize(app.lang))
                }) {
                    Ok(_) => Ok(event),
                    Err(why) => {
                        tracing::warn!(error = %why, item = %row.item, "follow-up not saved");
                        Err((event, why))
                    }
                };
                app.update(Action::FollowupSaved(result))
            }
            Effect::SaveKpiNote(entry) => {
                let row = crate::store::KpiNote {
                    week: entry.week.clone(),
                    kpi: entry.kpi.key().to_string(),
                    cause: entry.cause.clone(),
                    action: entry.action.clone(),
                    author: app.author.clone(),
                    saved_at: app.now,
                };
                let result = writable_store(store, app).and_then(|s| match s.save_kpi_note(&row) {
                    Ok(()) => Ok(entry),
                    Err(e) => {
                        tracing::warn!(error = %e, kpi = %row.kpi, "KPI note not saved");
                        Err(e.localize(app.lang))
                    }
                });
                app.update(Action::KpiNoteSaved(result))
            }
            Effect::ReloadConfig => match config::load(app.config_path.as_deref()) {
                Ok(l) => app.update(Action::LeadConfig(
                    l.extra.feedback,
                    Box::new(l.extra.scorecard),
                )),
                // The running config stays; the header says why until a
                // reload succeeds.
                Err(e) => {
                    tracing::warn!(error = %format!("{e:#}"), "config reload failed");
                    match e.downcast::<config::ConfigError>() {
                        Ok(err) => app.update(Action::ConfigFailed(Box::new(err))),
                        Err(_) => Vec::new(),
                    }
                }
            },
            Effect::ClaimScorecard(day, contact) => {
                let until = app.now.add_secs(CLAIM_FOR_S);
                let answer = match writable_store(store, app)
                    .map(|s| s.claim_scorecard(day, &contact, app.now, until))
                {
                    Ok(Ok(crate::store::Claim::Taken { by, until })) => {
                        ClaimAnswer::Taken { by, until }
                    }
                    Ok(Ok(crate::store::Claim::Mine { .. })) => ClaimAnswer::Mine,
                    // No store, read-only or down: the form opens; a save
                    // says why it cannot be saved.
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, contact = %contact, "scorecard claim");
                        ClaimAnswer::Mine
                    }
                    Err(_) => ClaimAnswer::Mine,
                };
                app.update(Action::ScorecardClaim(contact, answer))
            }
            Effect::ReleaseScorecard(day, contact) => {
                if let Ok(s) = writable_store(store, app)
                    && let Err(e) = s.release_scorecard(day, &contact)
                {
                    tracing::warn!(error = %e, contact = %contact, "scorecard claim release");
                }
                Vec::new()
            }
            Effect::AckAlert { episode, at } => {
                let who = app.author.clone();
                let result = writable_store(store, app).and_then(|s| {
                    s.ack_alert(episode, &who, at).map_err(|e| {
                        tracing::warn!(error = %e, episode, "acknowledgement not saved");
                        e.localize(app.lang)
                    })
                });
                let result = result.map(|earlier| crate::app::alerts::AckResult {
                    episode,
                    who,
                    at,
                    earlier: earlier.map(|a| (a.who, a.at)),
                });
                app.update(Action::AlertAcked(result))
            }
            Effect::AckHandover { shift, at } => {
                let who = app.author.clone();
                let result = writable_store(store, app).and_then(|s| {
                    s.ack_handover(shift, &who, at).map_err(|e| {
                        tracing::warn!(error = %e, "handover acknowledgement not saved");
                        e.localize(app.lang)
                    })
                });
                let result = result.map(|earlier| crate::app::handover::HandoverAckResult {
                    shift,
                    ack: crate::domain::handover::HandoverAck { who, at },
                    earlier,
                });
                app.update(Action::HandoverAcked(result))
            }
            // The console rings it on its terminal before running the rest.
            Effect::Bell => Vec::new(),
            Effect::CheckOutbox => match store.map(Store::outbox_summary) {
                Some(Ok(summary)) => app.update(Action::Outbox(summary)),
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "reading the write-back outbox");
                    Vec::new()
                }
                None => Vec::new(),
            },
        };
        queue.extend(follow);
    }
}

/// The store a save goes to, or the message the form shows when this
/// session has none, in the lead's language.
fn writable_store<'a>(store: Option<&'a Store>, app: &App) -> Result<&'a Store, String> {
    store.ok_or_else(|| {
        let why = match &app.store_message {
            Some(m) => m.clone(),
            None => t(app.lang, Msg::StoreNoneThisSession).to_owned(),
        };
        tf(app.lang, Msg::StoreReadOnlyShort, &[&why])
    })
}

/// A stored note as the app holds it; a KPI key this build does not know is skipped.
fn kpi_note_entry(n: crate::store::KpiNote) -> Option<KpiNoteEntry> {
    let kpi = KpiKey::ALL.into_iter().find(|k| k.key() == n.kpi)?;
    Some(KpiNoteEntry {
        week: n.week,
        kpi,
        cause: n.cause,
        action: n.action,
    })
}
