//! Whether nodes follow the imported hourly profile (cluster autoscaling) and how far ahead of
//! it they scale. Only imports with replicas per hour of a week have a profile; the hint says
//! so, because without one both controls change nothing.

use super::fields::{NumberField, Toggle};
use crate::human::trim;
use leptos::prelude::*;
use tco_engine::Scenario;

/// Follow the profile, and the scale-up margin.
#[component]
pub fn Autoscaling(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    view! {
        <fieldset data-testid="autoscaling">
            <legend>"Scaling with the hourly profile"</legend>
            <Toggle scenario=scenario label="Nodes follow the imported hourly profile" testid="follow-profile"
                hint="Cluster autoscaling: compute costs the week's mean. Needs an import with dynos per hour (logs); off, the constant replicas run all month."
                get=|a| a.follow_profile set=|a, on| a.follow_profile = on />
            <NumberField scenario=scenario label="Scale-up margin above the profile" testid="scale-up-margin"
                min="0" max="100" step="5" unit="%" hint="Extra replicas kept while scaling up. Default 10%.".to_string()
                get=|a| trim(a.scale_up_margin * 100.0, 2)
                set={|a, v| v.trim().parse::<f64>().ok().filter(|p| (0.0..=100.0).contains(p)).map(|p| a.scale_up_margin = p / 100.0).is_some()} />
        </fieldset>
    }
}
