//! `aws ec2 describe-instances --output json`: the current fleet, its on-demand cost, and one
//! process per (group, instance type) so the fleet can be consolidated onto containers.
//!
//! The group is the `aws:autoscaling:groupName` tag, else the `Name` tag, else `ec2-fleet`.
//! Only running instances count; the others are listed with a warning.

use super::{costed, warning, Context, ImportError};
use serde::Deserialize;
use tco_engine::money::{Hours, HOURS_PER_MONTH};
use tco_engine::workload::{App, Instance, Origin, Process};
use tco_engine::Workloads;

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
/// of the first availability zone (us-east-1 when unknown).
pub fn import(file: &str, text: &str, ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: Document = serde_path_to_error::deserialize(&mut de).map_err(|e| ImportError::from_path_error(file, e))?;
    let mut w = Workloads::default();
    for (r, reservation) in doc.reservations.into_iter().enumerate() {
        for (i, e) in reservation.instances.into_iter().enumerate() {
            let tag = |k: &str| e.tags.iter().find(|t| t.key == k).map(|t| t.value.clone());
            let name = tag("Name");
            let group = tag("aws:autoscaling:groupName").or(tag("eks:nodegroup-name")).or(name.clone());
            let az = e.placement.and_then(|p| p.availability_zone).unwrap_or_default();
            let region = region_of(&az).unwrap_or_else(|| ctx.assumptions.region.clone());
            if let Some(os) = e.platform_details.as_deref().filter(|p| *p != "Linux/UNIX") {
                w.warnings.push(warning(file, None, format!("Reservations[{r}].Instances[{i}] {}: {os} is priced as Linux (the catalog holds Linux prices only)", e.instance_id)));
            }
            let price = ctx.catalog.instance_price(&region, &e.instance_type);
            let monthly_usd = price.map(|p| p.hourly() * Hours(HOURS_PER_MONTH));
            if e.state.name == "running" && price.is_none() {
                w.warnings.push(warning(
                    file,
                    None,
                    format!(
                        "{} ({}, {region}): no on-demand price in the catalog; its cost is not counted",
                        e.instance_id, e.instance_type
                    ),
                ));
            }
            w.instances.push(Instance {
                id: e.instance_id,
                instance_type: e.instance_type,
                state: e.state.name,
                az,
                cpu_p95_pct: None,
                name,
                group,
                platform: e.platform_details,
                launch_time: e.launch_time,
                memory_p95_pct: None,
                monthly_usd,
                origin: Some(Origin { file: file.into(), line: None }),
            });
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
    for i in &mut w.instances {
        if i.state != "running" {
            i.monthly_usd = None;
        }
    }
    w.apps = processes_of(&w.instances, ctx, file);
    for p in w.apps.iter().flat_map(|a| &a.processes).filter(|p| p.cpu_millicores == 0) {
        w.warnings.push(warning(
            file,
            None,
            format!(
                "{}: the catalog has no vCPU and memory for this type; set the process's requests before estimating",
                p.name
            ),
        ));
    }
    Ok(costed(w))
}

/// One app per group; one process per instance type in it, sized like the instance.
pub(crate) fn processes_of(instances: &[Instance], ctx: Context<'_>, file: &str) -> Vec<App> {
    let mut apps: Vec<App> = Vec::new();
    for i in instances.iter().filter(|i| i.state == "running") {
        let group = i.group.clone().unwrap_or_else(|| "ec2-fleet".into());
        let app = match apps.iter().position(|a| a.name == group) {
            Some(p) => &mut apps[p],
            None => {
                apps.push(App {
                    name: group,
                    source: format!("ec2-instances:{file}"),
                    processes: vec![],
                    addons: vec![],
                });
                apps.last_mut().expect("just pushed")
            }
        };
        match app.processes.iter_mut().find(|p| p.name == i.instance_type) {
            Some(p) => {
                p.replicas += 1;
                p.monthly_usd += i.monthly_usd.unwrap_or_default();
            }
            None => {
                let shape = ctx.catalog.instance_type(&i.instance_type);
                let (cpu, mem) = shape.and_then(|t| t.shape()).map(|t| (t.vcpu * 1000, t.memory_mib)).unwrap_or((0, 0));
                app.processes.push(Process {
                    monthly_usd: i.monthly_usd.unwrap_or_default(),
                    origin: i.origin.clone(),
                    ..Process::new(i.instance_type.clone(), 1, cpu, mem)
                });
            }
        }
    }
    apps
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

/// After CloudWatch metrics merged into the instances, gives each EC2 process the largest p95
/// of its instances as measured use: CPU in cores (percent × vCPUs) and memory in MiB.
pub(crate) fn apply_instance_metrics(w: &mut Workloads) {
    for app in w.apps.iter_mut().filter(|a| a.source.starts_with("ec2-instances:")) {
        for p in &mut app.processes {
            let members = w.instances.iter().filter(|i| {
                i.state == "running"
                    && i.instance_type == p.name
                    && i.group.clone().unwrap_or_else(|| "ec2-fleet".into()) == app.name
            });
            let (mut cpu, mut mem, mut n) = (None::<f64>, None::<f64>, 0u64);
            for i in members {
                if let Some(c) = i.cpu_p95_pct {
                    cpu = Some(cpu.map_or(c, |x| x.max(c)));
                    n += 1;
                }
                if let Some(m) = i.memory_p95_pct {
                    mem = Some(mem.map_or(m, |x| x.max(m)));
                }
            }
            let Some(cpu) = cpu else { continue };
            let memory = mem.map(|m| m / 100.0 * f64::from(p.memory_mib));
            let memory = memory.unwrap_or(0.0);
            let load = cpu / 100.0 * f64::from(p.cpu_millicores) / 1000.0;
            p.measured = Some(tco_engine::workload::Measured {
                cpu_samples: Some(n),
                ..tco_engine::workload::Measured::new(memory, memory, memory, load, n)
            });
        }
    }
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
