//! People costs of moving and of running the new platform: the one-time and recurring figures
//! the cost of ownership adds to the cloud bill. Every default is an assumption to replace.

use super::fields::{parse_decimal, NumberField};
use crate::human::{decimal, fraction_as_pct};
use leptos::prelude::*;
use rust_decimal::Decimal;
use tco_engine::Scenario;

/// Migration effort, parallel running and operations effort.
#[component]
pub fn PeopleInputs(scenario: RwSignal<Option<Scenario>>) -> impl IntoView {
    view! {
        <fieldset data-testid="people">
            <legend>"People and migration "<span class="badge assumption">"assumptions"</span></legend>
            <NumberField scenario=scenario label="Migration effort" testid="people-weeks" unit="engineer-weeks" step="1"
                hint="One time. Default 12.".to_string()
                get=|a| decimal(a.people.migration_engineer_weeks)
                set=|a, v| parse_decimal(v).map(|d| a.people.migration_engineer_weeks = d).is_some() />
            <NumberField scenario=scenario label="Loaded cost of an engineer-week" testid="people-week-usd" unit="USD" step="100"
                hint="Default $4,000.".to_string()
                get=|a| decimal(a.people.engineer_week_usd)
                set=|a, v| parse_decimal(v).map(|d| a.people.engineer_week_usd = d).is_some() />
            <NumberField scenario=scenario label="Outside services" testid="people-outside-usd" unit="USD" step="1000"
                hint="Consultants, training; one time.".to_string()
                get=|a| decimal(a.people.outside_services_usd)
                set=|a, v| parse_decimal(v).map(|d| a.people.outside_services_usd = d).is_some() />
            <NumberField scenario=scenario label="Both platforms run side by side" testid="people-parallel-months" unit="months" step="1"
                hint="Today's bill keeps running meanwhile. Default 1.".to_string()
                get=|a| a.people.parallel_run_months.to_string()
                set=|a, v| v.trim().parse().ok().map(|n| a.people.parallel_run_months = n).is_some() />
            <NumberField scenario=scenario label="Extra operations effort" testid="people-ops-fraction" unit="% of an engineer" step="5"
                hint="What the new platform needs to run, beyond today. Default 20%.".to_string()
                get=|a| fraction_as_pct(a.people.ops_engineer_fraction)
                set=|a, v| parse_decimal(v).map(|d| a.people.ops_engineer_fraction = d / Decimal::ONE_HUNDRED).is_some() />
            <NumberField scenario=scenario label="Loaded cost of an engineer-year" testid="people-year-usd" unit="USD" step="1000"
                hint="Default $200,000.".to_string()
                get=|a| decimal(a.people.engineer_year_usd)
                set=|a, v| parse_decimal(v).map(|d| a.people.engineer_year_usd = d).is_some() />
        </fieldset>
    }
}
