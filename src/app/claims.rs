//! Keeping a scorecard's claim while its form is open. Opening the form
//! claims the contact for this lead for `runtime::effects::CLAIM_FOR_S`
//! (15 minutes); a lead who keeps the form open longer must not lose it to
//! another lead, so the claim is renewed every [`CLAIM_RENEW_S`] while the
//! same form stays open (the 1 Hz tick asks; the store's claim renews a
//! claim this lead holds). Closing the form (save or cancel) releases it
//! as before. When a renewal finds another lead took it (renewals failed
//! for longer than the claim, the store down), nothing typed is lost: the
//! form turns read-only and is kept as a draft when closed
//! (`Scores::claim_taken`, `Scores::drafts`); a read-only form is not
//! renewed.

use chrono::NaiveDate;

use super::action::Effect;
use crate::domain::Ts;

/// How often an open form's claim is renewed: well inside the claim's 15
/// minutes, so a store that misses one renewal still keeps it.
pub const CLAIM_RENEW_S: i64 = 5 * 60;

/// The form whose claim is kept, and when it was last claimed.
#[derive(Clone, Debug, Default)]
pub struct ClaimKeeper {
    held: Option<(NaiveDate, String, Ts)>,
}

impl ClaimKeeper {
    /// Called on every tick with the open form (day, contact), if any: the
    /// renewal to run when one is due. A form seen for the first time was
    /// just claimed by opening it.
    pub fn tick(&mut self, form: Option<(NaiveDate, &str)>, now: Ts) -> Option<Effect> {
        let Some((day, contact)) = form else {
            self.held = None;
            return None;
        };
        match &mut self.held {
            Some((d, c, at)) if *d == day && c == contact => {
                if now.secs_since(*at) >= CLAIM_RENEW_S as f64 {
                    *at = now;
                    return Some(Effect::ClaimScorecard(day, contact.to_owned()));
                }
                None
            }
            _ => {
                self.held = Some((day, contact.to_owned(), now));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewed_every_five_minutes_while_the_same_form_is_open() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        let t = |s: i64| Ts::from_secs(1_790_000_000 + s);
        let mut k = ClaimKeeper::default();
        assert_eq!(k.tick(Some((day, "c2")), t(0)), None, "just claimed");
        assert_eq!(k.tick(Some((day, "c2")), t(299)), None);
        assert_eq!(
            k.tick(Some((day, "c2")), t(300)),
            Some(Effect::ClaimScorecard(day, "c2".into()))
        );
        assert_eq!(k.tick(Some((day, "c2")), t(301)), None);
        assert_eq!(
            k.tick(Some((day, "c2")), t(600)),
            Some(Effect::ClaimScorecard(day, "c2".into()))
        );
        // Another contact's form starts its own count; a closed form none.
        assert_eq!(k.tick(Some((day, "c4")), t(700)), None);
        assert_eq!(k.tick(Some((day, "c4")), t(999)), None);
        assert_eq!(k.tick(None, t(1_000)), None);
        assert_eq!(
            k.tick(Some((day, "c4")), t(1_300)),
            None,
            "reopened: claimed anew"
        );
    }
}
