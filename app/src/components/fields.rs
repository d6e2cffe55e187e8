//! Labelled form controls bound to one assumption each, so every group of the assumptions panel
//! reads the same way: a label, the control, its unit, and a hint with the default or source.
//! A value that does not parse is marked invalid and leaves the scenario as it was.

use leptos::prelude::*;
use rust_decimal::Decimal;
use tco_engine::{Assumptions, Scenario};

/// Reads one assumption for display.
pub type Getter<T> = fn(&Assumptions) -> T;

/// Writes one assumption from what the user typed; `false` when it does not parse.
pub type Setter = fn(&mut Assumptions, &str) -> bool;

/// Changes the scenario's assumptions, when a scenario is loaded.
pub fn edit(scenario: RwSignal<Option<Scenario>>, f: impl FnOnce(&mut Assumptions)) {
    scenario.update(|s| {
        if let Some(s) = s {
            f(&mut s.assumptions)
        }
    });
}

/// A non-negative decimal, e.g. `12.5`.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    s.trim().parse::<Decimal>().ok().filter(|d| !d.is_sign_negative())
}

/// A number input for one assumption; commits on change (Enter, blur or the spinner), so a
/// half-typed value such as `0.` is never written back into the field.
#[component]
pub fn NumberField(
    scenario: RwSignal<Option<Scenario>>,
    label: &'static str,
    testid: &'static str,
    get: Getter<String>,
    set: Setter,
    #[prop(optional)] unit: &'static str,
    #[prop(default = "0")] min: &'static str,
    #[prop(optional)] max: Option<&'static str>,
    #[prop(default = "any")] step: &'static str,
    #[prop(optional)] hint: Option<String>,
) -> impl IntoView {
    let invalid = RwSignal::new(false);
    view! {
        <label class="field" class:invalid=move || invalid.get()>
            <span class="name">{label}</span>
            <span class="control">
                <input type="number" data-testid=testid min=min max=max step=step
                    aria-invalid=move || invalid.get().to_string()
                    prop:value=move || scenario.with(|s| s.as_ref().map(|s| get(&s.assumptions)).unwrap_or_default())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let changed = scenario.with_untracked(|s| {
                            let mut a = s.as_ref()?.assumptions.clone();
                            set(&mut a, &v).then_some(a)
                        });
                        invalid.set(changed.is_none());
                        // Only a valid value touches the scenario: a rejected one stays as typed,
                        // for the user to correct, and recomputes nothing.
                        if let Some(a) = changed {
                            edit(scenario, |current| *current = a);
                        }
                    } />
                <span class="unit">{unit}</span>
            </span>
            {hint.map(|h| view! { <span class="hint">{h}</span> })}
        </label>
    }
}

/// A checkbox for one on/off assumption.
#[component]
pub fn Toggle(
    scenario: RwSignal<Option<Scenario>>,
    label: &'static str,
    testid: &'static str,
    get: Getter<bool>,
    set: fn(&mut Assumptions, bool),
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class="toggle">
            <input type="checkbox" data-testid=testid
                prop:checked=move || scenario.with(|s| s.as_ref().map(|s| get(&s.assumptions)).unwrap_or_default())
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    edit(scenario, |a| set(a, on));
                } />
            <span>{label}</span>
            {hint.map(|h| view! { <span class="hint">{h}</span> })}
        </label>
    }
}
