//! What the saved-scenario API answers, and the small decisions the page makes about it, kept
//! out of components so they run as plain Rust tests.

use rust_decimal::Decimal;
use serde::Deserialize;
use tco_engine::format::usd;
use tco_engine::totals::Totals;
use tco_engine::{Scenario, Usd};

/// One row of `GET /api/v1/scenarios`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SavedSummary {
    /// The scenario's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its current revision.
    pub revision: i64,
    /// When it was last saved (RFC 3339).
    pub updated_at: String,
}

/// A saved scenario at one revision: its document and the report pinned when it was saved.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Saved {
    /// The scenario's id.
    pub id: String,
    /// Its current revision; a `PUT` must name it.
    pub revision: i64,
    /// The scenario document.
    pub document: Scenario,
    /// The catalog snapshot its report was computed on.
    pub catalog_version: String,
    /// The report computed when it was saved, as JSON: the page reads only the totals it shows
    /// ([`pinned_totals`]), so a report saved by another version reads too.
    pub report: serde_json::Value,
}

/// What a share link answers: the document and its pinned report, read-only.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SharedScenario {
    /// The scenario document.
    pub document: Scenario,
    /// The catalog snapshot the saved report was computed on.
    pub catalog_version: String,
    /// The report as saved (JSON, see [`Saved::report`]).
    pub report: serde_json::Value,
}

/// A saved report's totals, when the JSON is a report: the engine's own reading, the same the
/// server's re-pricing uses.
pub fn pinned_totals(report: &serde_json::Value) -> Option<Totals> {
    Totals::deserialize(report).ok()
}

/// `POST /api/v1/scenarios/{id}/share`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ShareLink {
    /// The token, needed to revoke the link.
    pub token: String,
    /// The page's path, `/shared/{token}`.
    pub url: String,
    /// The link's id, as the list of links shows it.
    #[serde(default)]
    pub id: String,
}

/// One line of `GET /api/v1/scenarios/{id}/shares`: the server keeps no token, so no URL.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ShareLine {
    /// The link's id, to revoke it by.
    pub id: String,
    /// The token's first characters, when kept.
    pub token_prefix: Option<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
}

impl ShareLine {
    /// How the list names the link: the start of its URL, which its holder can recognise.
    pub fn hint(&self) -> String {
        match &self.token_prefix {
            Some(p) => format!("/shared/{p}…"),
            None => "a link made before links were listed".into(),
        }
    }
}

/// One line of `GET /api/v1/scenarios/{id}/revisions`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RevisionLine {
    /// Its number.
    pub revision: i64,
    /// The name it was saved under.
    pub name: String,
    /// The catalog its report was computed on.
    pub catalog_version: String,
    /// When it was saved (RFC 3339).
    pub saved_at: String,
}

/// `POST /api/v1/scenarios/{id}/reprice`: the pinned totals beside the current catalog's.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Repriced {
    /// The catalog the saved report used.
    pub pinned_catalog_version: String,
    /// The catalog the server runs on now.
    pub current_catalog_version: String,
    /// Whether any monthly total moved.
    pub changed: bool,
    /// Today's platform, then each option.
    pub differences: Vec<Difference>,
}

/// One monthly total, pinned and now.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Difference {
    /// `current`, or the option's platform id.
    pub option: String,
    /// What people call it.
    pub label: String,
    /// USD a month in the saved report; absent for an option that is new.
    pub pinned_monthly_usd: Option<Decimal>,
    /// USD a month on the current catalog; absent for an option that is gone.
    pub current_monthly_usd: Option<Decimal>,
    /// Current less pinned.
    pub change_usd: Option<Decimal>,
}

impl Difference {
    /// The pinned total as the page shows it.
    pub fn pinned(&self) -> String {
        self.pinned_monthly_usd.map(|d| usd(Usd::new(d))).unwrap_or_else(|| "—".into())
    }

    /// The current total as the page shows it.
    pub fn current(&self) -> String {
        self.current_monthly_usd.map(|d| usd(Usd::new(d))).unwrap_or_else(|| "—".into())
    }

    /// The change with its sign, `no change`, or why there is none to show.
    pub fn change(&self) -> String {
        match self.change_usd.map(Usd::new) {
            Some(c) if c.cents() == 0 => "no change".into(),
            Some(c) if c.cents() > 0 => format!("+{}", usd(c)),
            Some(c) => usd(c),
            None if self.pinned_monthly_usd.is_none() => "new option".into(),
            None => "no longer offered".into(),
        }
    }
}

/// The `Authorization` header for a typed access token; none for an empty field.
pub fn bearer(token: &str) -> Option<String> {
    let token = token.trim();
    (!token.is_empty()).then(|| format!("Bearer {token}"))
}

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveError {
    /// Someone saved a newer revision since this page loaded it (409).
    Conflict {
        /// The revision the server holds now, when it said.
        current: Option<i64>,
    },
    /// Anything else, as a message for people.
    Other(String),
}

impl SaveError {
    /// What the page says about it.
    pub fn message(&self) -> String {
        match self {
            SaveError::Conflict { current: Some(n) } => format!(
                "Someone else saved a newer revision ({n}) of this scenario. Reload it to see theirs; your edits here are not saved."
            ),
            SaveError::Conflict { current: None } => {
                "Someone else saved a newer revision of this scenario. Reload it to see theirs; your edits here are not saved.".into()
            }
            SaveError::Other(m) => m.clone(),
        }
    }
}

/// The share token when the page was opened at `/shared/{token}`: such a page is read-only.
pub fn share_token(pathname: &str) -> Option<String> {
    let token = pathname.strip_prefix("/shared/")?.trim_end_matches('/');
    (!token.is_empty() && !token.contains('/')).then(|| token.to_string())
}

/// The name a duplicate gets.
pub fn copy_name(name: &str) -> String {
    format!("{name} (copy)")
}

/// `2026-05-01T09:30:12.345Z` as `2026-05-01 09:30`: enough to tell saves apart.
pub fn short_time(rfc3339: &str) -> String {
    let (date, time) = rfc3339.split_once('T').unwrap_or((rfc3339, ""));
    let hm: String = time.chars().take(5).collect();
    if hm.is_empty() {
        date.to_string()
    } else {
        format!("{date} {hm}")
    }
}

/// The body of a `PUT`: the document with the revision the edit started from.
pub fn put_body(document: &Scenario, revision: i64) -> Result<serde_json::Value, String> {
    let mut body = serde_json::to_value(document).map_err(|e| e.to_string())?;
    let object = body.as_object_mut().ok_or("a scenario is not a JSON object")?;
    object.insert("revision".into(), revision.into());
    Ok(body)
}

/// The current revision in a 409's `details`, when present.
pub fn conflict_revision(error_body: &serde_json::Value) -> Option<i64> {
    error_body["error"]["details"]["current_revision"].as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_paths_are_recognised_and_others_are_not() {
        assert_eq!(share_token("/shared/abc123"), Some("abc123".into()));
        assert_eq!(share_token("/shared/abc123/"), Some("abc123".into()));
        assert_eq!(share_token("/shared/"), None);
        assert_eq!(share_token("/"), None);
        assert_eq!(share_token("/shared/a/b"), None);
    }

    #[test]
    fn a_put_carries_the_revision_beside_the_document() {
        let doc = Scenario { name: "Plan".into(), ..Scenario::default() };
        let body = put_body(&doc, 3).unwrap();
        assert_eq!(body["revision"], 3);
        assert_eq!(body["name"], "Plan");
    }

    #[test]
    fn a_conflict_names_the_current_revision() {
        let body = serde_json::json!({"error":{"status":409,"code":"revision_conflict","message":"m",
            "details":{"expected_revision":1,"current_revision":2}}});
        let e = SaveError::Conflict { current: conflict_revision(&body) };
        assert!(e.message().contains("newer revision (2)"), "{}", e.message());
    }

    #[test]
    fn a_reprice_line_reads_its_change_with_a_sign() {
        let line = |pinned: Option<f64>, current: Option<f64>, change: Option<f64>| Difference {
            option: "ecs-ec2".into(),
            label: "ECS".into(),
            pinned_monthly_usd: pinned.and_then(Decimal::from_f64_retain),
            current_monthly_usd: current.and_then(Decimal::from_f64_retain),
            change_usd: change.and_then(Decimal::from_f64_retain),
        };
        let up = line(Some(1000.0), Some(1100.5), Some(100.5));
        assert_eq!(
            (up.pinned(), up.current(), up.change()),
            ("$1,000.00".into(), "$1,100.50".into(), "+$100.50".into())
        );
        assert_eq!(line(Some(10.0), Some(9.0), Some(-1.0)).change(), "-$1.00");
        assert_eq!(line(Some(10.0), Some(10.0), Some(0.0)).change(), "no change");
        assert_eq!(line(None, Some(10.0), None).change(), "new option");
        let gone = line(Some(10.0), None, None);
        assert_eq!((gone.current(), gone.change()), ("—".into(), "no longer offered".into()));
    }

    #[test]
    fn a_share_line_is_named_by_the_start_of_its_url_and_a_token_becomes_a_header() {
        let line = ShareLine { id: "i".into(), token_prefix: Some("Ab3xYz".into()), created_at: String::new() };
        assert_eq!(line.hint(), "/shared/Ab3xYz…");
        assert!(ShareLine { token_prefix: None, ..line }.hint().contains("before"));
        assert_eq!(bearer("  s3cret \n"), Some("Bearer s3cret".into()));
        assert_eq!(bearer("   "), None);
    }

    #[test]
    fn times_are_shortened_to_the_minute() {
        assert_eq!(short_time("2026-05-01T09:30:12.345Z"), "2026-05-01 09:30");
        assert_eq!(short_time("2026-05-01"), "2026-05-01");
        assert_eq!(copy_name("Plan"), "Plan (copy)");
    }

    #[test]
    fn the_comparison_lines_up_options_by_platform() {
        let catalog = tco_pricing_data::embedded();
        let scenario = Scenario {
            name: "one".into(),
            workloads: serde_json::from_value(serde_json::json!({"apps":[{"name":"a","source":"heroku","processes":[
                {"name":"web","size":"standard-2x","replicas":2,"cpu_millicores":500,"memory_mib":1024}]}]}))
            .unwrap(),
            ..Scenario::default()
        };
        let a = tco_engine::estimate(&scenario, catalog).unwrap();
        let mut fewer = scenario.clone();
        fewer.assumptions.targets.truncate(1);
        let b = tco_engine::estimate(&fewer, catalog).unwrap();
        let pinned = |r: &tco_engine::Report| pinned_totals(&serde_json::to_value(r).unwrap()).unwrap();
        let rows = pinned(&a).compare(&pinned(&b));
        // The saved JSON holds cents, so compare in cents.
        let cents = |v: Option<tco_engine::totals::Figures>| v.map(|f| (f.monthly_usd.cents(), f.savings_usd.cents()));
        assert_eq!(rows.len(), 1 + a.options.len());
        assert_eq!(cents(rows[0].before), Some((a.current.monthly_usd.cents(), 0)));
        let first = &a.options[0];
        assert_eq!(cents(rows[1].before), Some((first.monthly_usd.cents(), first.savings_vs_current_usd.cents())));
        let only = &b.options[0];
        assert_eq!(cents(rows[1].after), Some((only.monthly_usd.cents(), only.savings_vs_current_usd.cents())));
        assert!(rows[2..].iter().all(|r| r.after.is_none() && r.before.is_some()));
    }
}
