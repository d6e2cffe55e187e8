//! `aws ec2 describe-instances --output json`: the current fleet, its on-demand cost, and one
//! process per (group, instance type) so the fleet can be consolidated onto containers.
//!
//! The group is the `aws:autoscaling:groupName` tag, else the `Name` tag, else `ec2-fleet`.
//! Only running instances count; the others are listed with a warning.

use super::{costed, warning, Context, ImportError};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use tco_engine::bill::CostBases;
use tco_engine::current::{EC2_FLEET, EC2_SOURCE};
use tco_engine::money::{Hours, HOURS_PER_MONTH};
use tco_engine::workload::{App, Instance, Measured, Origin, Process};
use tco_engine::{Catalog, Usd, Workloads};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Document {
    reservations: Vec<Reservation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Reservation {
    instances: Vec<Ec2Instance>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Ec2Instance {
    instance_id: String,
    instance_type: String,
    state: State,
    placement: Option<Placement>,
    #[serde(default)]
    tags: Vec<Tag>,
    launch_time: Option<String>,
    platform_details: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct State {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Placement {
    availability_zone: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: String,
}

/// The fleet as instances, and its running part as processes priced on demand in the region
/// of the first availability zone (us-east-1 when unknown). A paginated dump (several
/// `{"Reservations": …}` documents one after another, as `--no-paginate` pages are saved)
/// reads as one fleet.
pub fn import(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut w = Workloads::default();
    // Running types seen, and those the catalog has no vCPU and memory for.
    let mut types_seen: HashSet<String> = HashSet::new();
    let mut unshaped: Vec<String> = Vec::new();
    let mut prices: HashMap<(String, String), Option<Usd>> = HashMap::new();
    for (page, doc) in documents(file, text)?.into_iter().enumerate() {
        let at = |r: usize, i: usize| {
            if page == 0 {
                format!("Reservations[{r}].Instances[{i}]")
            } else {
                format!("page {}: Reservations[{r}].Instances[{i}]", page + 1)
            }
        };
        for (r, reservation) in doc.reservations.into_iter().enumerate() {
            for (i, e) in reservation.instances.into_iter().enumerate() {
                let tag = |k: &str| e.tags.iter().find(|t| t.key == k).map(|t| t.value.clone());
                let name = tag("Name");
                let group = tag("aws:autoscaling:groupName").or(tag("eks:nodegroup-name")).or(name.clone());
                let az = e.placement.and_then(|p| p.availability_zone).unwrap_or_default();
                let region = region_of(&az).unwrap_or_else(|| ctx.assumptions.region.clone());
                if let Some(os) = e.platform_details.as_deref().filter(|p| *p != "Linux/UNIX") {
                    w.warnings.push(warning(
                        file,
                        None,
                        format!(
                            "{} {}: {os} is priced as Linux (the catalog holds Linux prices only)",
                            at(r, i),
                            e.instance_id
                        ),
                    ));
                }
                let running = e.state.name == "running";
                // The catalog is searched once per (region, type), not once per instance.
                let price = *prices.entry((region.clone(), e.instance_type.clone())).or_insert_with(|| {
                    ctx.catalog.instance_price(&region, &e.instance_type).map(|p| p.hourly() * Hours(HOURS_PER_MONTH))
                });
                let monthly_usd = price.filter(|_| running);
                if running && price.is_none() {
                    w.warnings.push(warning(
                        file,
                        None,
                        format!(
                            "{} ({}, {region}): no on-demand price in the catalog; its cost is not counted",
                            e.instance_id, e.instance_type
                        ),
                    ));
                }
                if running
                    && types_seen.insert(e.instance_type.clone())
                    && ctx.catalog.instance_type(&e.instance_type).and_then(|t| t.shape()).is_none()
                {
                    unshaped.push(e.instance_type.clone());
                }
                w.instances.push(Instance {
                    state: e.state.name,
                    az,
                    name,
                    group,
                    platform: e.platform_details,
                    launch_time: e.launch_time,
                    monthly_usd,
                    origin: Some(Origin { file: file.into(), line: None }),
                    ..Instance { instance_type: e.instance_type, ..Instance::new(e.instance_id) }
                });
            }
        }
    }
    let stopped = w.instances.iter().filter(|i| i.state != "running").count();
    if stopped > 0 {
        w.warnings.push(warning(
            file,
            None,
            format!(
                "{stopped} instance(s) not running: listed, not costed (EBS volumes of stopped instances still bill)"
            ),
        ));
    }
    for t in unshaped {
        w.warnings.push(warning(
            file,
            None,
            format!(
                "{t}: the catalog has no vCPU and memory for this type; set the process's requests before estimating"
            ),
        ));
    }
    finalize(&mut w, ctx.catalog);
    Ok(costed(w))
}

/// The documents of a describe-instances dump: one, or several pages one after another.
fn documents(file: &str, text: &str) -> Result<Vec<Document>, ImportError> {
    let mut docs = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Document>();
    loop {
        let offset = stream.byte_offset();
        match stream.next() {
            None => break,
            Some(Ok(doc)) => docs.push(doc),
            Some(Err(_)) => {
                // Parse the failing page again to name the field, with lines counted from the file's start.
                let rest = &text[offset..];
                let mut de = serde_json::Deserializer::from_str(rest);
                let err = match serde_path_to_error::deserialize::<_, Document>(&mut de) {
                    Err(e) => ImportError::from_path_error(file, e),
                    Ok(_) => ImportError::at(file, None, None, "not valid JSON after a page"),
                };
                let before = text[..offset].bytes().filter(|b| *b == b'\n').count() as u64;
                return Err(ImportError {
                    line: err.line.map(|l| l + before),
                    field: err.field.map(|f| if docs.is_empty() { f } else { format!("page {}: {f}", docs.len() + 1) }),
                    ..err
                });
            }
        }
    }
    Ok(docs)
}

/// Rebuilds the EC2 processes from the instances: one app per group (auto-scaling group,
/// node group or `Name` tag, else `ec2-fleet`), one process per instance type in it, sized
/// like the instance, costing what its instances cost (as billed when a bill priced them,
/// else on demand), measured when CloudWatch metrics were imported, and running the hours
/// the bill says when its instances ran part of the month. The fleet is the running
/// instances of an inventory, or, when only a bill was imported, the instances it billed.
/// An instance type and the indices of the group's instances of that type.
type TypeMembers = (String, Vec<usize>);

/// Linear in the instances; run once after every file is merged.
pub(crate) fn finalize(w: &mut Workloads, catalog: &Catalog) {
    let inventory = w.instances.iter().any(|i| !i.state.is_empty());
    let month_hours = w.bill.as_ref().and_then(|b| b.latest()).map(|m| m.hours);
    let member = |i: &Instance| {
        i.provider.is_none()
            && !i.instance_type.is_empty()
            && (i.state == "running" || (!inventory && i.is_billed() && i.hours.is_some_and(|h| h > 0.0)))
    };
    let mut groups: Vec<(String, Vec<TypeMembers>)> = Vec::new();
    let mut group_index: HashMap<&str, usize> = HashMap::new();
    let mut type_index: HashMap<(usize, &str), usize> = HashMap::new();
    for (k, i) in w.instances.iter().enumerate().filter(|(_, i)| member(i)) {
        let group = i.group.as_deref().unwrap_or(EC2_FLEET);
        let g = *group_index.entry(group).or_insert_with(|| {
            groups.push((group.to_string(), Vec::new()));
            groups.len() - 1
        });
        let t = *type_index.entry((g, i.instance_type.as_str())).or_insert_with(|| {
            groups[g].1.push((i.instance_type.clone(), Vec::new()));
            groups[g].1.len() - 1
        });
        groups[g].1[t].1.push(k);
    }
    let mut apps = Vec::with_capacity(groups.len());
    for (group, types) in groups {
        let mut processes = Vec::with_capacity(types.len());
        let mut source = None;
        for (instance_type, members) in types {
            let members: Vec<&Instance> = members.iter().map(|k| &w.instances[*k]).collect();
            source = source.or_else(|| members[0].origin.as_ref().map(|o| o.file.clone()));
            processes.push(fleet_process(&instance_type, &members, catalog, month_hours));
        }
        apps.push(App {
            name: group,
            source: format!("{EC2_SOURCE}{}", source.unwrap_or_default()),
            processes,
            addons: vec![],
        });
    }
    let at = w.apps.iter().position(|a| a.source.starts_with(EC2_SOURCE)).unwrap_or(w.apps.len());
    w.apps.retain(|a| !a.source.starts_with(EC2_SOURCE));
    let at = at.min(w.apps.len());
    w.apps.splice(at..at, apps);
}

/// One process for the instances of one type in a group.
fn fleet_process(instance_type: &str, members: &[&Instance], catalog: &Catalog, month_hours: Option<u32>) -> Process {
    let shape = catalog.instance_type(instance_type).and_then(|t| t.shape());
    let (cpu, mem) = shape.map(|t| (t.vcpu * 1000, t.memory_mib)).unwrap_or((0, 0));
    let replicas = members.len() as u32;
    let monthly_usd = members.iter().filter_map(|i| i.monthly_usd).sum();
    let by_basis = members.iter().map(|i| i.by_basis).sum::<Option<CostBases>>();
    // Hours a replica ran, on the 730-hour month, when the bill says they ran part of it.
    let hours: Option<f64> = members.iter().map(|i| i.hours).sum();
    let hours_per_month = hours.zip(month_hours).and_then(|(h, month)| {
        let mean = h / f64::from(replicas) / f64::from(month);
        (mean < 1.0 - 0.5 / f64::from(month)).then(|| (mean * f64::from(HOURS_PER_MONTH)).round().max(1.0) as u32)
    });
    let mut p = Process {
        monthly_usd,
        by_basis,
        hours_per_month,
        origin: members[0].origin.clone(),
        ..Process::new(instance_type, replicas, cpu, mem)
    };
    // The busiest instance's p95 stands for the group: CPU in cores, memory in MiB.
    let cpu_pct = members.iter().filter_map(|i| i.cpu_p95_pct).reduce(f64::max);
    let mem_pct = members.iter().filter_map(|i| i.memory_p95_pct).reduce(f64::max);
    if let Some(cpu_pct) = cpu_pct {
        let n = members.iter().filter(|i| i.cpu_p95_pct.is_some()).count() as u64;
        let memory = mem_pct.map_or(0.0, |m| m / 100.0 * f64::from(p.memory_mib));
        let load = cpu_pct / 100.0 * f64::from(p.cpu_millicores) / 1000.0;
        p.measured = Some(Measured { cpu_samples: Some(n), ..Measured::new(memory, memory, memory, load, n) });
    }
    p
}

/// `us-east-1a` → `us-east-1`; Local Zones (`us-east-1-bos-1a`) → `us-east-1`.
fn region_of(az: &str) -> Option<String> {
    let parts: Vec<&str> = az.split('-').collect();
    if parts.len() < 3 {
        return None;
    }
    let number: String = parts[2].chars().take_while(char::is_ascii_digit).collect();
    (!number.is_empty()).then(|| format!("{}-{}-{}", parts[0], parts[1], number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    const FLEET: &str = r#"{"Reservations":[
      {"ReservationId":"r-1","OwnerId":"123456789012","Groups":[],"Instances":[
        {"InstanceId":"i-0a1","InstanceType":"c5.2xlarge","LaunchTime":"2024-01-02T03:04:05+00:00","Placement":{"AvailabilityZone":"us-east-1a","GroupName":"","Tenancy":"default"},"State":{"Code":16,"Name":"running"},"Tags":[{"Key":"Name","Value":"monolith"},{"Key":"aws:autoscaling:groupName","Value":"monolith-asg"}],"PlatformDetails":"Linux/UNIX","Architecture":"x86_64"},
        {"InstanceId":"i-0a2","InstanceType":"c5.2xlarge","Placement":{"AvailabilityZone":"us-east-1b"},"State":{"Code":16,"Name":"running"},"Tags":[{"Key":"aws:autoscaling:groupName","Value":"monolith-asg"}],"PlatformDetails":"Linux/UNIX"}
      ]},
      {"ReservationId":"r-2","Instances":[
        {"InstanceId":"i-0b1","InstanceType":"m5.xlarge","Placement":{"AvailabilityZone":"us-east-1c"},"State":{"Code":80,"Name":"stopped"},"Tags":[{"Key":"Name","Value":"batch"}]},
        {"InstanceId":"i-0b2","InstanceType":"r5.large","Placement":{"AvailabilityZone":"us-east-1c"},"State":{"Code":16,"Name":"running"},"Tags":[{"Key":"Name","Value":"cache"}]}
      ]}
    ]}"#;

    #[test]
    fn running_instances_are_costed_and_grouped() {
        let a = Assumptions::default();
        let w = import("fleet.json", FLEET, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        assert_eq!(w.instances.len(), 4);
        // 2 × c5.2xlarge × $0.34 × 730 = $496.40; r5.large $0.126 × 730 = $91.98; stopped m5 not counted
        assert_eq!(w.current_monthly_usd.cents(), 58_838);
        let apps: Vec<(&str, &str, u32)> = w
            .apps
            .iter()
            .flat_map(|a| a.processes.iter().map(move |p| (a.name.as_str(), p.name.as_str(), p.replicas)))
            .collect();
        assert_eq!(apps, vec![("monolith-asg", "c5.2xlarge", 2), ("cache", "r5.large", 1)]);
        assert_eq!((w.apps[0].processes[0].cpu_millicores, w.apps[0].processes[0].memory_mib), (8000, 16384));
        assert!(w.warnings.iter().any(|x| x.message.contains("1 instance(s) not running")));
    }

    #[test]
    fn zones_name_their_region() {
        assert_eq!(region_of("eu-west-1b").as_deref(), Some("eu-west-1"));
        assert_eq!(region_of("us-east-1-bos-1a").as_deref(), Some("us-east-1"));
        assert_eq!(region_of(""), None);
    }

    #[test]
    fn a_missing_field_is_named() {
        let a = Assumptions::default();
        let err = import(
            "fleet.json",
            r#"{"Reservations":[{"Instances":[{"InstanceId":"i-1","State":{"Name":"running"}}]}]}"#,
            Context::new(tco_pricing_data::embedded(), &a),
        )
        .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("Reservations[0].Instances[0]"));
        assert!(err.message.contains("InstanceType"), "{err}");
    }
}
