//! The saved-scenarios panel: save the page's scenario under a name (a new revision each time,
//! refused with a reload offer when someone saved since), and list, open, rename, duplicate,
//! delete (after a confirmation), share and compare saved ones; re-price one, read its history
//! and manage its share links (see `saved_detail`). Every figure shown is a report the API
//! pinned when the scenario was saved, or, when re-pricing, the current catalog's.

use super::compare::Compare;
use super::saved_detail::{self, AccessToken, Detail, ScenarioDetail};
use crate::api;
use crate::saved::{copy_name, short_time, SaveError, Saved, SavedSummary, ShareLink};
use leptos::prelude::*;
use leptos::task::spawn_local;
use tco_engine::Scenario;

/// The saved scenario the page is editing: a save writes its next revision.
#[derive(Debug, Clone, PartialEq)]
struct Editing {
    id: String,
    revision: i64,
}

/// A live share link and the scenario it shows.
#[derive(Debug, Clone, PartialEq)]
struct Shared {
    id: String,
    name: String,
    link: ShareLink,
}

/// The panel. It reads and replaces the page's `scenario`.
#[component]
pub fn SavedScenarios(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    let editing: RwSignal<Option<Editing>> = RwSignal::new(None);
    let name = RwSignal::new(String::new());
    let list: RwSignal<Vec<SavedSummary>> = RwSignal::new(Vec::new());
    let status: RwSignal<Option<Result<String, String>>> = RwSignal::new(None);
    let conflict = RwSignal::new(false);
    let confirm_delete: RwSignal<Option<SavedSummary>> = RwSignal::new(None);
    let renaming: RwSignal<Option<(String, String)>> = RwSignal::new(None);
    let shared: RwSignal<Option<Shared>> = RwSignal::new(None);
    let detail: RwSignal<Option<Detail>> = RwSignal::new(None);

    let refresh = move || {
        spawn_local(async move {
            match api::list_scenarios().await {
                Ok(l) => {
                    list.set(l);
                    if status.with_untracked(|s| matches!(s, Some(Err(m)) if m.starts_with(CANNOT_LIST))) {
                        status.set(None);
                    }
                }
                Err(e) => status.set(Some(Err(format!("{CANNOT_LIST}: {e}")))),
            }
        })
    };
    refresh();
    // Loads a saved scenario into the page.
    let adopt = move |saved: Saved| {
        name.set(saved.document.name.clone());
        editing.set(Some(Editing { id: saved.id, revision: saved.revision }));
        scenario.set(Some(saved.document));
        conflict.set(false);
    };
    let open = move |id: String| {
        spawn_local(async move {
            match api::get_scenario(&id).await {
                Ok(saved) => {
                    let msg = format!("Opened “{}”, revision {}", saved.document.name, saved.revision);
                    adopt(saved);
                    status.set(Some(Ok(msg)));
                }
                Err(e) => status.set(Some(Err(e))),
            }
        })
    };
    let save = move |_| {
        let Some(mut doc) = scenario.get_untracked() else { return };
        let typed = name.get_untracked().trim().to_string();
        if !typed.is_empty() {
            doc.name = typed;
        }
        let target = editing.get_untracked();
        spawn_local(async move {
            let outcome = match &target {
                None => api::create_scenario(&doc).await.map_err(SaveError::Other),
                Some(e) => api::update_scenario(&e.id, e.revision, &doc).await,
            };
            match outcome {
                Ok(saved) => {
                    status.set(Some(Ok(format!("Saved “{}”, revision {}", saved.document.name, saved.revision))));
                    adopt(saved);
                }
                Err(e) => {
                    conflict.set(matches!(e, SaveError::Conflict { .. }));
                    status.set(Some(Err(e.message())));
                }
            }
            refresh();
        });
    };
    let reload = move |_| {
        if let Some(e) = editing.get_untracked() {
            open(e.id);
        }
    };
    let save_as_new = move |_| {
        editing.set(None);
        status.set(None);
    };
    let rename = move |id: String, new_name: String| {
        spawn_local(async move {
            let outcome = match api::get_scenario(&id).await {
                Ok(mut saved) => {
                    saved.document.name = new_name.clone();
                    api::update_scenario(&id, saved.revision, &saved.document).await
                }
                Err(e) => Err(SaveError::Other(e)),
            };
            match outcome {
                Ok(saved) => {
                    if editing.with_untracked(|e| e.as_ref().is_some_and(|e| e.id == saved.id)) {
                        adopt(saved);
                    }
                    status.set(Some(Ok(format!("Renamed to “{new_name}”"))));
                    renaming.set(None);
                }
                Err(e) => status.set(Some(Err(e.message()))),
            }
            refresh();
        })
    };
    let duplicate = move |id: String| {
        spawn_local(async move {
            let outcome = match api::get_scenario(&id).await {
                Ok(mut saved) => {
                    saved.document.name = copy_name(&saved.document.name);
                    api::create_scenario(&saved.document).await
                }
                Err(e) => Err(e),
            };
            status.set(Some(outcome.map(|s| format!("Saved a copy as “{}”", s.document.name))));
            refresh();
        })
    };
    let delete = move |row: SavedSummary| {
        spawn_local(async move {
            match api::delete_scenario(&row.id).await {
                Ok(()) => {
                    if editing.with_untracked(|e| e.as_ref().is_some_and(|e| e.id == row.id)) {
                        editing.set(None);
                    }
                    if shared.with_untracked(|s| s.as_ref().is_some_and(|s| s.id == row.id)) {
                        shared.set(None);
                    }
                    detail.set(None);
                    status.set(Some(Ok(format!("Deleted “{}”", row.name))));
                }
                Err(e) => status.set(Some(Err(e))),
            }
            confirm_delete.set(None);
            refresh();
        })
    };
    let share = move |row: SavedSummary| {
        spawn_local(async move {
            match api::share_scenario(&row.id).await {
                Ok(link) => {
                    if detail.with_untracked(|d| matches!(d, Some(Detail::Links { id, .. }) if *id == row.id)) {
                        saved_detail::links(row.id.clone(), row.name.clone(), detail, status);
                    }
                    shared.set(Some(Shared { id: row.id, name: row.name, link }))
                }
                Err(e) => status.set(Some(Err(e))),
            }
        })
    };
    let revoke = move |_| {
        let Some(s) = shared.get_untracked() else { return };
        spawn_local(async move {
            match api::revoke_share(&s.id, &s.link.token).await {
                Ok(()) => {
                    shared.set(None);
                    status.set(Some(Ok(format!("Revoked the link to “{}”: it no longer opens", s.name))));
                    if detail.with_untracked(|d| matches!(d, Some(Detail::Links { id, .. }) if *id == s.id)) {
                        saved_detail::links(s.id, s.name, detail, status);
                    }
                }
                Err(e) => status.set(Some(Err(e))),
            }
        })
    };

    view! {
        <div class="saved" data-testid="saved-panel">
            <AccessToken on_change=Callback::new(move |()| {
                detail.set(None);
                refresh();
            }) />
            <div class="saved-save">
                <label>
                    "Name "
                    <input type="text" data-testid="saved-name" placeholder="the scenario's name"
                        prop:value=move || name.get()
                        on:input=move |e| name.set(event_target_value(&e)) />
                </label>
                <button type="button" data-testid="saved-save" on:click=save>
                    {move || if editing.get().is_some() { "Save a new revision" } else { "Save" }}
                </button>
                <Show when=move || editing.get().is_some()>
                    <button type="button" class="secondary" data-testid="saved-save-as-new" on:click=save_as_new>
                        "Save as a new scenario instead"
                    </button>
                </Show>
            </div>
            {move || status.get().map(|s| match s {
                Ok(m) => view! { <p class="status" data-testid="saved-status" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="error" data-testid="saved-error" role="alert">{m}</p> }.into_any(),
            })}
            <Show when=move || conflict.get()>
                <button type="button" data-testid="saved-reload" on:click=reload>"Reload the saved revision"</button>
            </Show>
            {move || shared.get().map(|s| {
                let url = absolute(&s.link.url);
                view! {
                    <div class="share-link" data-testid="share-box">
                        <label>
                            {format!("Read-only link to “{}” ", s.name)}
                            <input type="text" readonly data-testid="share-url" prop:value=url
                                on:focus=|e| select_all(&e) />
                        </label>
                        <button type="button" class="secondary" data-testid="share-revoke" on:click=revoke>"Revoke the link"</button>
                    </div>
                }
            })}
            {move || confirm_delete.get().map(|row| {
                let r = row.clone();
                view! {
                    <div class="confirm" role="alertdialog" data-testid="delete-confirmation">
                        <p>{format!("Delete “{}”, its history and its share links? This cannot be undone.", row.name)}</p>
                        <button type="button" class="danger" data-testid="delete-confirm" on:click=move |_| delete(r.clone())>"Delete"</button>
                        <button type="button" class="secondary" data-testid="delete-cancel" on:click=move |_| confirm_delete.set(None)>"Cancel"</button>
                    </div>
                }
            })}
            <Show when=move || !list.with(Vec::is_empty)
                fallback=|| view! { <p class="hint" data-testid="saved-empty">"Nothing saved yet."</p> }>
                <table class="saved-list" data-testid="saved-list">
                    <thead><tr><th>"Name"</th><th>"Revision"</th><th>"Saved"</th><th>"Actions"</th></tr></thead>
                    <tbody>
                        {move || list.get().into_iter().enumerate().map(|(i, row)| {
                            let (r1, r2, r3, r4, r5) = (row.clone(), row.clone(), row.clone(), row.clone(), row.clone());
                            let (r6, r7, r8) = (row.clone(), row.clone(), row.clone());
                            let id = row.id.clone();
                            let is_renaming = move || renaming.with(|r| r.as_ref().is_some_and(|(rid, _)| *rid == id));
                            view! {
                                <tr data-testid=format!("saved-{i}")>
                                    <td>
                                        <Show when=is_renaming.clone()
                                            fallback=move || view! { <span data-testid=format!("saved-{i}-name")>{r1.name.clone()}</span> }>
                                            <input type="text" data-testid=format!("saved-{i}-rename-input")
                                                prop:value=move || renaming.get().map(|(_, n)| n).unwrap_or_default()
                                                on:input=move |e| renaming.update(|r| if let Some((_, n)) = r { *n = event_target_value(&e) }) />
                                            <button type="button" data-testid=format!("saved-{i}-rename-ok") on:click={
                                                let id = r2.id.clone();
                                                move |_| {
                                                    let n = renaming.get_untracked().map(|(_, n)| n.trim().to_string()).unwrap_or_default();
                                                    if !n.is_empty() { rename(id.clone(), n) }
                                                }
                                            }>"OK"</button>
                                        </Show>
                                    </td>
                                    <td data-testid=format!("saved-{i}-revision")>{row.revision}</td>
                                    <td>{short_time(&row.updated_at)}</td>
                                    <td class="saved-actions">
                                        <button type="button" data-testid=format!("saved-{i}-open") on:click={ let id = row.id.clone(); move |_| open(id.clone()) }>"Open"</button>
                                        <button type="button" class="secondary" data-testid=format!("saved-{i}-rename")
                                            on:click=move |_| renaming.set(Some((r3.id.clone(), r3.name.clone())))>"Rename"</button>
                                        <button type="button" class="secondary" data-testid=format!("saved-{i}-duplicate")
                                            on:click={ let id = row.id.clone(); move |_| duplicate(id.clone()) }>"Duplicate"</button>
                                        <button type="button" class="secondary" data-testid=format!("saved-{i}-share")
                                            on:click=move |_| share(r4.clone())>"Share"</button>
                                        <button type="button" class="secondary" data-testid=format!("saved-{i}-reprice")
                                            on:click=move |_| saved_detail::reprice(r6.id.clone(), r6.name.clone(), detail, status)>"Re-price on current catalog"</button>
                                        <button type="button" class="secondary" data-testid=format!("saved-{i}-history")
                                            on:click=move |_| saved_detail::history(r7.id.clone(), r7.name.clone(), detail, status)>"History"</button>
                                        <button type="button" class="secondary" data-testid=format!("saved-{i}-links")
                                            on:click=move |_| saved_detail::links(r8.id.clone(), r8.name.clone(), detail, status)>"Links"</button>
                                        <button type="button" class="secondary" data-testid=format!("saved-{i}-delete")
                                            on:click=move |_| confirm_delete.set(Some(r5.clone()))>"Delete"</button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            <ScenarioDetail detail=detail status=status />
            <Compare list=list />
        </div>
    }
}

/// How the panel's message starts when the list cannot be read (401 without a token, say).
const CANNOT_LIST: &str = "Cannot list saved scenarios";

/// `/shared/…` as a full URL on this server, to paste into an email.
fn absolute(path: &str) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}{path}")
}

/// Selects the link's text on focus, ready to copy.
fn select_all(e: &web_sys::FocusEvent) {
    use wasm_bindgen::JsCast;
    if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        input.select();
    }
}
