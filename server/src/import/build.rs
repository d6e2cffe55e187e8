//! Building and merging workloads in time linear in what is added: apps, processes, add-ons and
//! instances are found by name through maps, never by scanning what is already there (a
//! formation of 100,000 process types, or 30,000 files in one upload, stays fast).

use std::collections::{HashMap, HashSet};
use tco_engine::workload::{App, Process};
use tco_engine::Workloads;

/// Workloads under construction, with an index of what they hold.
#[derive(Default)]
pub(crate) struct Builder {
    pub(crate) w: Workloads,
    apps: HashMap<String, usize>,
    processes: Vec<HashMap<String, usize>>,
    addons: Vec<HashSet<String>>,
    instances: HashMap<String, usize>,
}

impl Builder {
    /// A builder holding `w`, indexed once.
    pub(crate) fn from(w: Workloads) -> Self {
        let mut b = Builder { w: Workloads::default(), ..Builder::default() };
        let Workloads { apps, instances, current_monthly_usd, warnings, bill } = w;
        b.w.current_monthly_usd = current_monthly_usd;
        b.w.warnings = warnings;
        b.w.bill = bill;
        for app in apps {
            b.push_app(app);
        }
        for i in instances {
            b.instances.entry(i.id.clone()).or_insert(b.w.instances.len());
            b.w.instances.push(i);
        }
        b
    }

    fn push_app(&mut self, app: App) -> usize {
        let index = self.w.apps.len();
        self.apps.insert(app.name.clone(), index);
        let mut processes = HashMap::with_capacity(app.processes.len());
        for (i, p) in app.processes.iter().enumerate() {
            processes.entry(p.name.clone()).or_insert(i);
        }
        self.processes.push(processes);
        self.addons.push(app.addons.iter().map(|a| a.name.clone()).collect());
        self.w.apps.push(app);
        index
    }

    /// The index of app `name`, created with `source` on first sight.
    pub(crate) fn app(&mut self, name: &str, source: impl FnOnce() -> String) -> usize {
        match self.apps.get(name) {
            Some(i) => *i,
            None => self.push_app(App { name: name.into(), source: source(), processes: vec![], addons: vec![] }),
        }
    }

    /// Adds a process to app `app`; gives it back when the app already has one of that name.
    pub(crate) fn add_process(&mut self, app: usize, p: Process) -> Result<(), Box<Process>> {
        if self.processes[app].contains_key(&p.name) {
            return Err(Box::new(p));
        }
        let processes = &mut self.w.apps[app].processes;
        self.processes[app].insert(p.name.clone(), processes.len());
        processes.push(p);
        Ok(())
    }

    /// Adds `other` in: apps merge by name; a process already present takes the new file's
    /// measurements and profile (logs) or its size and replicas (a formation) where it had
    /// none; an add-on already present is kept; instances merge by id.
    pub(crate) fn merge(&mut self, other: Workloads) {
        let Workloads { apps, instances, warnings, bill, .. } = other;
        for app in apps {
            let Some(&index) = self.apps.get(&app.name) else {
                self.push_app(app);
                continue;
            };
            for p in app.processes {
                match self.processes[index].get(&p.name) {
                    Some(&i) => self.w.apps[index].processes[i].absorb(p),
                    None => {
                        let _ = self.add_process(index, p);
                    }
                }
            }
            for a in app.addons {
                if self.addons[index].insert(a.name.clone()) {
                    self.w.apps[index].addons.push(a);
                }
            }
        }
        for i in instances {
            match self.instances.get(&i.id) {
                Some(&j) => self.w.instances[j].absorb(i),
                None => {
                    self.instances.insert(i.id.clone(), self.w.instances.len());
                    self.w.instances.push(i);
                }
            }
        }
        self.w.warnings.extend(warnings);
        match (&mut self.w.bill, bill) {
            (Some(mine), Some(b)) => mine.absorb(b),
            (mine @ None, b) => *mine = b,
            (_, None) => {}
        }
    }
}
