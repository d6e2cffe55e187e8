//! Today's bill on the basis the scenario asks for, and processes that ran part of the month
//! sized for their billed hours: the first step of an estimate, before anything is validated
//! or planned. The bill's types live in [`crate::bill`]; this is what an estimate does with them.

use crate::bill::CostBasis;
use crate::scenario::{HoursSizing, Scenario};
use crate::workload::{Process, Workloads};
use std::borrow::Cow;

/// The scenario with today's figures on its `bill_basis`, and processes that ran part of the
/// month sized for their billed hours when `hours_sizing` says so; borrowed when nothing
/// changes. The notes say what was resized, for the report's warnings.
pub(crate) fn prepare(s: &Scenario) -> (Cow<'_, Scenario>, Vec<String>) {
    let a = &s.assumptions;
    let rebase = s.workloads.bill.as_ref().is_some_and(|b| b.basis != a.bill_basis);
    let resize = a.hours_sizing == HoursSizing::Billed
        && s.workloads
            .apps
            .iter()
            .flat_map(|app| &app.processes)
            .any(|p| billed_replicas(p, a.hours_per_month).is_some());
    if !rebase && !resize {
        return (Cow::Borrowed(s), Vec::new());
    }
    let mut s = s.clone();
    let mut notes = Vec::new();
    if rebase {
        on_basis(&mut s.workloads, a.bill_basis);
    }
    if resize {
        let month = a.hours_per_month;
        for app in &mut s.workloads.apps {
            for p in &mut app.processes {
                if let Some(replicas) = billed_replicas(p, month) {
                    notes.push(format!(
                        "{}/{}: sized for its billed hours, {replicas} of {} replicas ({} of {month} hours a month each); \
                         `hours_sizing: always-on` sizes every replica for the whole month",
                        app.name,
                        p.name,
                        p.replicas,
                        p.hours_per_month.unwrap_or(month)
                    ));
                    p.replicas = replicas;
                }
            }
        }
    }
    (Cow::Owned(s), notes)
}

/// The replicas that run a process's billed hours all month (replicas × hours ÷ month, to the
/// nearest whole replica, at least one), when it ran part of the month and has no hourly profile.
fn billed_replicas(p: &Process, month_hours: u32) -> Option<u32> {
    let hours = p.hours_per_month.filter(|h| *h < month_hours)?;
    if p.replicas == 0 || p.hourly_replicas.is_some() {
        return None;
    }
    let exact = u64::from(p.replicas) * u64::from(hours);
    let month = u64::from(month_hours.max(1));
    let rounded = ((exact + month / 2) / month).max(1) as u32;
    (rounded != p.replicas).then_some(rounded)
}

/// Sets every billed figure's `monthly_usd` from its amount on `basis` and recounts the total.
fn on_basis(w: &mut Workloads, basis: CostBasis) {
    for app in &mut w.apps {
        for p in &mut app.processes {
            if let Some((usd, _)) = p.by_basis.and_then(|b| b.on(basis)) {
                p.monthly_usd = usd;
            }
        }
        for x in &mut app.addons {
            if let Some((usd, _)) = x.by_basis.and_then(|b| b.on(basis)) {
                x.monthly_usd = usd;
            }
        }
    }
    for i in &mut w.instances {
        if let Some((usd, _)) = i.by_basis.and_then(|b| b.on(basis)) {
            i.monthly_usd = Some(usd);
        }
    }
    if let Some(bill) = &mut w.bill {
        bill.basis = basis;
    }
    w.current_monthly_usd = crate::current::imported_monthly(w);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bill::{bases, Bill};
    use crate::money::Usd;
    use crate::workload::{Addon, App};
    use rust_decimal_macros::dec;

    #[test]
    fn prepare_moves_billed_figures_to_the_chosen_basis() {
        let mut s = Scenario::default();
        s.workloads.apps.push(App {
            name: "aws-bill".into(),
            source: "aws-cur:x".into(),
            processes: vec![],
            addons: vec![Addon {
                name: "AmazonRDS".into(),
                plan: "bill 2026-10".into(),
                monthly_usd: Usd::new(dec!(80)),
                by_basis: Some(bases(dec!(100), dec!(95), dec!(85), dec!(80))),
            }],
        });
        s.workloads.bill = Some(Bill { months: vec![], basis: CostBasis::NetAmortized, sources: vec![] });
        let (same, _) = prepare(&s);
        assert!(matches!(same, Cow::Borrowed(_)), "already on the default basis");
        s.assumptions.bill_basis = CostBasis::Unblended;
        let (moved, _) = prepare(&s);
        assert_eq!(moved.workloads.apps[0].addons[0].monthly_usd.cents(), 10_000);
        assert_eq!(moved.workloads.current_monthly_usd.cents(), 10_000);
        assert_eq!(moved.workloads.bill.as_ref().unwrap().basis, CostBasis::Unblended);
    }

    #[test]
    fn part_month_processes_are_sized_for_their_billed_hours() {
        let mut s = Scenario::default();
        let mut p = Process::new("c5.large", 4, 2000, 4096);
        // 4 instances × 365 of 730 hours = 2 instance-months
        p.hours_per_month = Some(365);
        s.workloads.apps.push(App {
            name: "ec2-fleet".into(),
            source: "ec2-instances:x".into(),
            processes: vec![p],
            addons: vec![],
        });
        let (billed, notes) = prepare(&s);
        assert_eq!(billed.workloads.apps[0].processes[0].replicas, 2);
        assert!(notes[0].contains("2 of 4 replicas"), "{notes:?}");
        s.assumptions.hours_sizing = HoursSizing::AlwaysOn;
        let (always, notes) = prepare(&s);
        assert_eq!(always.workloads.apps[0].processes[0].replicas, 4);
        assert!(notes.is_empty());
        // one instance for 10 hours still needs one replica
        s.assumptions.hours_sizing = HoursSizing::Billed;
        s.workloads.apps[0].processes[0].replicas = 1;
        s.workloads.apps[0].processes[0].hours_per_month = Some(10);
        assert!(matches!(prepare(&s).0, Cow::Borrowed(_)));
    }
}
