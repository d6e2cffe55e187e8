//! What the saved-scenarios panel shows about one scenario on request: its totals re-priced on
//! the current catalog beside the pinned ones, its revision history (any revision opens
//! read-only), and its live share links with a revoke each. Also the access-token field for a
//! server started with `--auth-token`.

use crate::api;
use crate::saved::{pinned_totals, short_time, Repriced, RevisionLine, Saved, ShareLine};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tco_engine::format::usd;

/// What the detail box holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// The re-price of a scenario.
    Reprice { name: String, repriced: Repriced },
    /// A scenario's revisions.
    History { id: String, name: String, lines: Vec<RevisionLine> },
    /// A scenario's live share links.
    Links { id: String, name: String, lines: Vec<ShareLine> },
}

/// The panel's message line: `Ok` for news, `Err` for trouble.
pub type Status = RwSignal<Option<Result<String, String>>>;

/// Re-prices `id` on the current catalog and shows the differences.
pub fn reprice(id: String, name: String, detail: RwSignal<Option<Detail>>, status: Status) {
    spawn_local(async move {
        match api::reprice(&id).await {
            Ok(repriced) => detail.set(Some(Detail::Reprice { name, repriced })),
            Err(e) => status.set(Some(Err(e))),
        }
    })
}

/// Shows the revisions of `id`.
pub fn history(id: String, name: String, detail: RwSignal<Option<Detail>>, status: Status) {
    spawn_local(async move {
        match api::revisions(&id).await {
            Ok(lines) => detail.set(Some(Detail::History { id, name, lines })),
            Err(e) => status.set(Some(Err(e))),
        }
    })
}

/// Shows the live share links of `id`.
pub fn links(id: String, name: String, detail: RwSignal<Option<Detail>>, status: Status) {
    spawn_local(async move {
        match api::list_shares(&id).await {
            Ok(lines) => detail.set(Some(Detail::Links { id, name, lines })),
            Err(e) => status.set(Some(Err(e))),
        }
    })
}

/// The box under the list.
#[component]
pub fn ScenarioDetail(detail: RwSignal<Option<Detail>>, status: Status) -> impl IntoView {
    // A past revision opened from the history, read-only.
    let old: RwSignal<Option<Saved>> = RwSignal::new(None);
    Effect::new(move |_| {
        if !matches!(detail.get(), Some(Detail::History { .. })) {
            old.set(None);
        }
    });
    move || {
        detail.get().map(|d| {
            let body = match d {
                Detail::Reprice { name, repriced } => reprice_view(name, repriced).into_any(),
                Detail::History { id, name, lines } => history_view(id, name, lines, old, status).into_any(),
                Detail::Links { id, name, lines } => links_view(id, name, lines, detail, status).into_any(),
            };
            view! {
                <div class="saved-detail" data-testid="saved-detail">
                    {body}
                    <button type="button" class="secondary" data-testid="detail-close" on:click=move |_| detail.set(None)>"Close"</button>
                </div>
            }
        })
    }
}

fn reprice_view(name: String, r: Repriced) -> impl IntoView {
    let versions =
        format!("Saved on catalog {} · current catalog {}", r.pinned_catalog_version, r.current_catalog_version);
    let verdict = if r.changed {
        "Re-priced on the current catalog: the totals below moved. Save a new revision to keep the new figures."
    } else {
        "Re-priced on the current catalog: no monthly total moved."
    };
    view! {
        <h3>{format!("“{name}” on the current catalog")}</h3>
        <p data-testid="reprice-versions">{versions}</p>
        <p class="hint" data-testid="reprice-verdict">{verdict}</p>
        <table class="reprice" data-testid="reprice">
            <thead><tr><th>"Platform"</th><th>"Saved, a month"</th><th>"Now, a month"</th><th>"Change"</th></tr></thead>
            <tbody>
                {r.differences.into_iter().map(|d| {
                    let id = d.option.clone();
                    let label = if id == "current" { format!("Today ({})", d.label) } else { d.label.clone() };
                    view! {
                        <tr data-testid=format!("reprice-{id}")>
                            <th scope="row">{label}</th>
                            <td data-testid=format!("reprice-{id}-pinned")>{d.pinned()}</td>
                            <td data-testid=format!("reprice-{id}-current")>{d.current()}</td>
                            <td data-testid=format!("reprice-{id}-change")>{d.change()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn history_view(
    id: String,
    name: String,
    lines: Vec<RevisionLine>,
    old: RwSignal<Option<Saved>>,
    status: Status,
) -> impl IntoView {
    let open = move |id: String, revision: i64| {
        spawn_local(async move {
            match api::get_revision(&id, revision).await {
                Ok(saved) => old.set(Some(saved)),
                Err(e) => status.set(Some(Err(e))),
            }
        })
    };
    view! {
        <h3>{format!("History of “{name}”")}</h3>
        <table class="history" data-testid="history">
            <thead><tr><th>"Revision"</th><th>"Name"</th><th>"Saved"</th><th>"Catalog"</th><th>"Actions"</th></tr></thead>
            <tbody>
                {lines.into_iter().map(|l| {
                    let (id, n) = (id.clone(), l.revision);
                    view! {
                        <tr data-testid=format!("history-{n}")>
                            <td>{n}</td>
                            <td data-testid=format!("history-{n}-name")>{l.name}</td>
                            <td>{short_time(&l.saved_at)}</td>
                            <td>{l.catalog_version}</td>
                            <td><button type="button" class="secondary" data-testid=format!("history-{n}-open")
                                on:click=move |_| open(id.clone(), n)>"View"</button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {move || old.get().map(revision_view)}
    }
}

/// A past revision's pinned totals, read-only: nothing here edits or replaces the page.
fn revision_view(saved: Saved) -> impl IntoView {
    let title = format!(
        "Revision {}: “{}”, read-only (catalog {})",
        saved.revision, saved.document.name, saved.catalog_version
    );
    let totals = pinned_totals(&saved.report);
    view! {
        <div class="revision-view" data-testid="revision-view">
            <h4 data-testid="revision-title">{title}</h4>
            {match totals {
                None => view! { <p class="error">"This revision's report could not be read."</p> }.into_any(),
                Some(t) => view! {
                    <table>
                        <tbody>
                            <tr><th scope="row">"Today"</th><td data-testid="revision-current">{usd(t.current.monthly_usd)}</td></tr>
                            {t.options.into_iter().map(|o| view! {
                                <tr><th scope="row">{o.label}</th><td data-testid=format!("revision-{}", o.platform)>{usd(o.monthly_usd)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </div>
    }
}

fn links_view(
    id: String,
    name: String,
    lines: Vec<ShareLine>,
    detail: RwSignal<Option<Detail>>,
    status: Status,
) -> impl IntoView {
    let revoke = move |id: String, name: String, share: ShareLine| {
        spawn_local(async move {
            match api::revoke_share_by_id(&id, &share.id).await {
                Ok(()) => {
                    status.set(Some(Ok(format!("Revoked {}: it no longer opens", share.hint()))));
                    links(id, name, detail, status);
                }
                Err(e) => status.set(Some(Err(e))),
            }
        })
    };
    let empty = lines.is_empty();
    view! {
        <h3>{format!("Live share links of “{name}”")}</h3>
        <p class="hint">"Only the start of each link is kept, not the link itself: revoke a lost one and share again."</p>
        <Show when=move || empty>
            <p data-testid="links-empty">"No live links."</p>
        </Show>
        <table class="links" data-testid="links">
            <tbody>
                {lines.into_iter().enumerate().map(|(k, line)| {
                    let (id, name, l) = (id.clone(), name.clone(), line.clone());
                    view! {
                        <tr data-testid=format!("links-{k}")>
                            <td data-testid=format!("links-{k}-hint")>{line.hint()}</td>
                            <td>{format!("made {}", short_time(&line.created_at))}</td>
                            <td><button type="button" class="secondary" data-testid=format!("links-{k}-revoke")
                                on:click=move |_| revoke(id.clone(), name.clone(), l.clone())>"Revoke"</button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The access token for a server started with `--auth-token`, kept for this tab's visit.
#[component]
pub fn AccessToken(on_change: Callback<()>) -> impl IntoView {
    let token = RwSignal::new(api::auth_token());
    let apply = move |_| {
        api::set_auth_token(&token.get_untracked());
        on_change.run(());
    };
    view! {
        <div class="access-token">
            <label>
                "Access token "
                <input type="password" autocomplete="off" data-testid="auth-token"
                    placeholder="only if the server asks for one"
                    prop:value=move || token.get()
                    on:input=move |e| token.set(event_target_value(&e)) />
            </label>
            <button type="button" class="secondary" data-testid="auth-token-use" on:click=apply>"Use"</button>
        </div>
    }
}
