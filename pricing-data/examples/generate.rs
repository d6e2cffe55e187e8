//! Writes the catalog's sourced files from the reference data set, so every row can be traced
//! back and the files can be made again when the sources move:
//!
//! ```text
//! cargo run -p tco-pricing-data --example generate -- <DATA_DIR> [OUT_DIR]
//! ```
//!
//! `DATA_DIR` is the `aws` folder of the reference data (see the crate README for the files it
//! reads); `OUT_DIR` defaults to this crate's `data/`. Written: `ec2-instance-types.csv`,
//! `ec2-ondemand-linux.csv`, `ec2-spot-advice.csv`, and in `services.csv` the ElastiCache and
//! the third-party supporting-service rows (the hand-kept rows stay as they are). The
//! manifest, Heroku tables, commitments and assumptions are kept by hand. Prints what it
//! wrote and every row it left out, with why.

use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;

type Row = HashMap<String, String>;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().ok_or("usage: generate <DATA_DIR> [OUT_DIR]")?);
    let out = args.next().map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("data"));

    let specs = read_csv(&data.join("specs/ec2-instance-specs.csv"))?;
    let fallback = read_leanercloud(&data.join("leanercloud/generated_instances_data.txt"))?;
    let pods = MaxPods::read(&data)?;
    let home = read_karpenter(&data.join("karpenter-ondemand-us-east-1-2026-07-20.json"))?;
    let regional = read_csv(&data.join("regional/ec2-ondemand-26-commercial-regions.csv"))?;
    let spot = read_csv(&data.join("regional/ec2-spot-advisor-linux.csv"))?;
    let cache = read_csv(&data.join("regional/elasticache-nodes-all-regions.csv"))?;
    let golden = read_csv(&data.join("regional/infracost-golden-us-east-1.csv"))?;

    // Shapes: every type of the specs file, then the priced types it lacks from the older
    // ec2instances.info data; a priced type with neither is left out, with its prices.
    let mut types: BTreeMap<String, TypeRow> = BTreeMap::new();
    for r in &specs {
        let t = TypeRow::from_spec(r, &pods)?;
        types.insert(t.name.clone(), t);
    }
    let priced: BTreeSet<&str> =
        home.iter().map(|(t, _)| t.as_str()).chain(regional.iter().map(|r| r["instance_type"].as_str())).collect();
    let mut left_out: BTreeSet<String> = BTreeSet::new();
    for name in priced {
        if types.contains_key(name) {
            continue;
        }
        match fallback.get(name) {
            Some(f) => {
                let t = TypeRow::from_fallback(name, f, &pods)?;
                types.insert(t.name.clone(), t);
            }
            None => {
                left_out.insert(name.to_string());
            }
        }
    }

    // EC2 on-demand: us-east-1 from its 2026 list, every other region from the 2022 snapshot.
    const HOME: &str = "us-east-1";
    let home_source = "AWS Price List GetProducts (AmazonEC2, Linux, Shared, OnDemand, capacitystatus=Used, preInstalledSw=NA) as generated into aws/karpenter-provider-aws zz_generated.pricing_aws.go @6fc13b52";
    let mut prices: Vec<[String; 5]> = Vec::new();
    for (t, usd) in &home {
        let source = if t.contains(".metal") {
            format!("\"{home_source} (bare metal: dedicated-tenancy Compute Instance (bare metal) row)\"")
        } else {
            format!("\"{home_source}\"")
        };
        prices.push([HOME.into(), t.clone(), usd.clone(), source, "2026-07-20".into()]);
    }
    let mut dropped_prices = 0;
    for r in regional.iter().filter(|r| r["region"] != HOME) {
        if left_out.contains(&r["instance_type"]) {
            dropped_prices += 1;
            continue;
        }
        let usd = Decimal::from_str(&r["usd_per_hour"]).map_err(|e| format!("regional price {r:?}: {e}"))?;
        if usd <= Decimal::ZERO {
            return Err(format!("regional price {r:?}: not positive"));
        }
        prices.push([
            r["region"].clone(),
            r["instance_type"].clone(),
            usd.normalize().to_string(),
            quote(&format!(
                "AWS bulk offer file AmazonEC2/current/index.json (Linux, Shared, OnDemand, preInstalledSw=NA) as generated into {}",
                r["source"]
            )),
            r["as_of"].clone(),
        ]);
    }
    prices.sort();

    // Spot advice: the feed as published, for the types the catalog describes.
    let mut advice: Vec<[String; 6]> = Vec::new();
    let mut dropped_advice = BTreeSet::new();
    for r in &spot {
        if !types.contains_key(&r["instance_type"]) {
            dropped_advice.insert(r["instance_type"].clone());
            continue;
        }
        let (date, _) = r["as_of"].split_once(' ').unwrap_or((&r["as_of"], ""));
        advice.push([
            r["region"].clone(),
            r["instance_type"].clone(),
            r["savings_over_ondemand_pct"].clone(),
            r["interruption_frequency"].clone(),
            quote(&format!(
                "AWS Spot Instance Advisor feed via {} (as_of: commit date)",
                r["source"].replace(" (AWS Spot Advisor feed)", "").replace("internal/spot/data/", "")
            )),
            date.to_string(),
        ]);
    }
    advice.sort();

    // Services: the hand-kept rows, then ElastiCache and the infracost readings.
    let services_path = out.join("services.csv");
    let mut services = read_csv(&services_path)?;
    let generated_ids =
        ["kms-key-month", "secrets-manager-secret-month", "transit-gateway-attachment-hour", "transit-gateway-gb"];
    services.retain(|r| !r["id"].starts_with("elasticache-") && !generated_ids.contains(&r["id"].as_str()));
    for r in &mut services {
        if !r.contains_key("region") {
            let global = r["id"].starts_with("heroku-")
                || r["id"].starts_with("business-support-")
                || r["id"] == "data-transfer-out-free-gb";
            r.insert("region".into(), if global { String::new() } else { HOME.into() });
        }
    }
    let mut generated: Vec<Row> = Vec::new();
    for (service, item, id, description, unit) in [
        ("KMS", "Customer master key", "kms-key-month", "KMS customer managed key", "per key-month"),
        ("SecretsManager", "Secret", "secrets-manager-secret-month", "Secrets Manager secret", "per secret-month"),
        (
            "TransitGateway",
            "VPC attachment",
            "transit-gateway-attachment-hour",
            "Transit Gateway attachment",
            "per attachment-hour",
        ),
        ("TransitGateway", "Data processed", "transit-gateway-gb", "Transit Gateway data processed", "per GB"),
    ] {
        let g = golden
            .iter()
            .find(|g| g["service"] == service && g["item"] == item)
            .ok_or_else(|| format!("infracost readings: no {service} / {item} row"))?;
        generated.push(Row::from([
            ("id".into(), id.into()),
            ("region".into(), g["region"].clone()),
            ("description".into(), description.into()),
            ("usd".into(), g["derived_unit_price_usd"].clone()),
            ("unit".into(), unit.into()),
            ("confidence".into(), "third-party".into()),
            (
                "source".into(),
                format!(
                    "{}: {} = {} (a priced test output reproducing the AWS price)",
                    g["source"],
                    [item, g["golden_qty"].as_str(), g["golden_unit"].as_str()]
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join(" "),
                    g["golden_monthly_usd_verbatim"]
                ),
            ),
            ("as_of".into(), g["as_of"].clone()),
        ]));
    }
    let mut cache_rows = 0;
    for r in cache.iter().filter(|r| matches!(r["engine"].as_str(), "Redis" | "Valkey")) {
        let (engine, label) = if r["engine"] == "Redis" { ("redis", "Redis OSS") } else { ("valkey", "Valkey") };
        let (date, _) = r["as_of"].split_once(' ').unwrap_or((&r["as_of"], ""));
        let source = format!(
            "ec2instances.info ElastiCache data via {} (as_of: commit date)",
            r["source"].replace(" (copy of instances.vantage.sh/cache/instances.json)", "")
        );
        let node = &r["node_type"];
        for (column, id, what) in [
            ("ondemand_usd_per_hour", format!("elasticache-{engine}:{node}"), "node, on-demand".to_string()),
            (
                "ri_1y_no_upfront_usd_per_hour",
                format!("elasticache-{engine}-reserved-1yr-no-upfront:{node}"),
                "node, reserved 1 year, no upfront, effective hourly".to_string(),
            ),
            (
                "ri_3y_no_upfront_usd_per_hour",
                format!("elasticache-{engine}-reserved-3yr-no-upfront:{node}"),
                "node, reserved 3 years, no upfront, effective hourly".to_string(),
            ),
        ] {
            let usd = r[column].trim();
            if usd.is_empty() {
                continue;
            }
            let value = Decimal::from_str(usd).map_err(|e| format!("ElastiCache {r:?}: {column}: {e}"))?;
            if value <= Decimal::ZERO {
                continue;
            }
            generated.push(Row::from([
                ("id".into(), id),
                ("region".into(), r["region"].clone()),
                ("description".into(), format!("ElastiCache {label} {node} ({what})")),
                ("usd".into(), value.normalize().to_string()),
                ("unit".into(), "per node-hour".into()),
                ("confidence".into(), "third-party".into()),
                ("source".into(), source.clone()),
                ("as_of".into(), date.to_string()),
            ]));
            cache_rows += 1;
        }
    }
    generated.sort_by(|a, b| (&a["id"], &a["region"]).cmp(&(&b["id"], &b["region"])));
    services.extend(generated);

    // Write.
    let type_lines: Vec<String> = types.values().map(TypeRow::line).collect();
    write(
        &out.join("ec2-instance-types.csv"),
        "instance_type,family,size,generation,vcpu,memory_gib,arch,gpus,burstable,eks_max_pods,source,as_of",
        &type_lines,
    )?;
    write(
        &out.join("ec2-ondemand-linux.csv"),
        "region,instance_type,usd_per_hour,source,as_of",
        &prices.iter().map(|p| p.join(",")).collect::<Vec<_>>(),
    )?;
    write(
        &out.join("ec2-spot-advice.csv"),
        "region,instance_type,savings_pct,interruption,source,as_of",
        &advice.iter().map(|a| a.join(",")).collect::<Vec<_>>(),
    )?;
    let columns = ["id", "region", "description", "usd", "unit", "confidence", "source", "as_of"];
    let service_lines: Vec<String> = services
        .iter()
        .map(|r| columns.iter().map(|c| quote(r.get(*c).map_or("", String::as_str))).collect::<Vec<_>>().join(","))
        .collect();
    write(&services_path, &columns.join(","), &service_lines)?;

    // Report.
    let mut per_region: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &prices {
        *per_region.entry(p[0].as_str()).or_default() += 1;
    }
    println!("ec2-instance-types.csv: {} types", types.len());
    println!("ec2-ondemand-linux.csv: {} prices in {} regions", prices.len(), per_region.len());
    for (region, n) in &per_region {
        println!("  {region}: {n}");
    }
    println!("ec2-spot-advice.csv: {} rows", advice.len());
    println!("services.csv: {} rows ({} ElastiCache)", services.len(), cache_rows);
    println!("left out, no sourced shape: {left_out:?} ({dropped_prices} regional prices)");
    println!("spot advice left out, type not described: {dropped_advice:?}");
    Ok(())
}

/// One row of `ec2-instance-types.csv`.
struct TypeRow {
    name: String,
    vcpu: String,
    memory_gib: String,
    arch: &'static str,
    gpus: String,
    eks_max_pods: String,
    source: String,
    as_of: String,
}

impl TypeRow {
    fn from_spec(r: &Row, pods: &MaxPods) -> Result<Self, String> {
        let name = r["instance_type"].clone();
        let mib = Decimal::from_str(&r["memory_mib"]).map_err(|e| format!("specs {name}: memory_mib: {e}"))?;
        // The generator behind the specs file maps EC2's `arm64_mac` to its default amd64.
        let apple = name.starts_with("mac2") || name.starts_with("mac-m");
        let arch = match (r["arch"].as_str(), apple) {
            ("arm64", _) | ("amd64", true) => "arm64",
            ("amd64", false) => "x86_64",
            (other, _) => return Err(format!("specs {name}: arch `{other}`")),
        };
        // `kubernetes/autoscaler@<40 hex>…:<path>` → `kubernetes/autoscaler@<8 hex>… <file>`: the
        // full commits are in the data set's SOURCES.txt and the manifest.
        let mut source = shorten_commit(&r["source"]).replace("cluster-autoscaler/cloudprovider/aws/", "");
        if apple {
            source.push_str("; arch corrected to arm64: Apple silicon, which the source's generator labels amd64");
        }
        let (eks_max_pods, pods_source) = pods.of(&name);
        Ok(TypeRow {
            vcpu: r["vcpu"].clone(),
            memory_gib: (mib / Decimal::from(1024)).normalize().to_string(),
            arch,
            gpus: r["gpu"].clone(),
            eks_max_pods,
            source: format!("vCPU, memory, arch, GPUs: {source}{pods_source}"),
            as_of: r["as_of"].clone(),
            name,
        })
    }

    fn from_fallback(name: &str, f: &Fallback, pods: &MaxPods) -> Result<Self, String> {
        let (eks_max_pods, pods_source) = pods.of(name);
        let arch = match f.arch.as_str() {
            "arm64" => "arm64",
            "x86_64" | "i386" => "x86_64",
            other => return Err(format!("ec2instances.info: {name}: arch `{other}`")),
        };
        Ok(TypeRow {
            name: name.to_string(),
            vcpu: f.vcpu.clone(),
            memory_gib: f.memory_gib.clone(),
            arch,
            gpus: String::new(),
            eks_max_pods,
            source: format!(
                "vCPU, memory, arch: ec2instances.info data via LeanerCloud/ec2-instances-info@ef5638af generated_instances_data.txt (not in the DescribeInstanceTypes lists){pods_source}"
            ),
            as_of: "2023-08-30".into(),
        })
    }

    fn line(&self) -> String {
        let (family, size) = self.name.split_once('.').unwrap_or((&self.name, ""));
        // `c7i` → 7; `u-12tb1` has no generation (its digits are a memory size).
        let generation: String =
            family.chars().skip_while(char::is_ascii_lowercase).take_while(char::is_ascii_digit).collect();
        let burstable = family.starts_with('t') && family[1..].starts_with(|c: char| c.is_ascii_digit());
        [
            self.name.clone(),
            family.to_string(),
            size.to_string(),
            generation,
            self.vcpu.clone(),
            self.memory_gib.clone(),
            self.arch.to_string(),
            self.gpus.clone(),
            burstable.to_string(),
            self.eks_max_pods.clone(),
            quote(&self.source),
            self.as_of.clone(),
        ]
        .join(",")
    }
}

/// EKS max pods: `eni-max-pods.txt`, else ENIs × (IPv4 per ENI − 1) + 2 from nodeadm's table.
struct MaxPods {
    listed: HashMap<String, String>,
    enis: HashMap<String, (u32, u32)>,
}

impl MaxPods {
    fn read(data: &Path) -> Result<Self, String> {
        let text = read(&data.join("eni-max-pods.txt"))?;
        let listed = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once(char::is_whitespace))
            .map(|(t, n)| (t.to_string(), n.trim().to_string()))
            .collect();
        let mut enis = HashMap::new();
        for line in read(&data.join("eks-instance-info.jsonl"))?.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("eks-instance-info.jsonl: {e}"))?;
            let (Some(t), Some(e), Some(ip)) =
                (v["instanceType"].as_str(), v["defaultMaxENIs"].as_u64(), v["ipv4AddressesPerInterface"].as_u64())
            else {
                return Err(format!("eks-instance-info.jsonl: {line}"));
            };
            enis.insert(t.to_string(), (e as u32, ip as u32));
        }
        Ok(MaxPods { listed, enis })
    }

    /// The max pods and the source note for the row.
    fn of(&self, name: &str) -> (String, String) {
        if let Some(n) = self.listed.get(name) {
            return (n.clone(), "; max pods: awslabs/amazon-eks-ami eni-max-pods.txt@2377b69a".into());
        }
        if let Some((enis, ips)) = self.enis.get(name) {
            return (
                (enis * (ips - 1) + 2).to_string(),
                "; max pods: ENIs x (IPv4 per ENI - 1) + 2 from awslabs/amazon-eks-ami instance-info.jsonl@81fec2e8"
                    .into(),
            );
        }
        (String::new(), String::new())
    }
}

/// A shape from the ec2instances.info text file.
struct Fallback {
    vcpu: String,
    memory_gib: String,
    /// As written there: `x86_64`, `i386`, `arm64`, `x86_64_mac`, …
    arch: String,
}

/// `Instance type: c5.2xlarge,\tCPU: …,\t Arch: x86_64,\tCPU cores: 8,\tMemory(GB): 16,\t…`
fn read_leanercloud(path: &Path) -> Result<HashMap<String, Fallback>, String> {
    let mut out = HashMap::new();
    // The copy ends in a cut-off line (`I`): only whole `Instance type:` lines are read.
    for line in read(path)?.lines().filter(|l| l.starts_with("Instance type: ")) {
        let fields: HashMap<&str, &str> =
            line.split(",\t").filter_map(|f| f.split_once(": ")).map(|(k, v)| (k.trim(), v.trim())).collect();
        let (Some(name), Some(vcpu), Some(memory), Some(arch)) =
            (fields.get("Instance type"), fields.get("CPU cores"), fields.get("Memory(GB)"), fields.get("Arch"))
        else {
            return Err(format!("{}: unreadable line `{line}`", path.display()));
        };
        out.insert(
            name.to_string(),
            Fallback { vcpu: vcpu.to_string(), memory_gib: memory.to_string(), arch: arch.to_string() },
        );
    }
    Ok(out)
}

/// The Karpenter price table: `{"prices": {"a1.large": 0.051, …}}`, numbers as written.
fn read_karpenter(path: &Path) -> Result<Vec<(String, String)>, String> {
    let v: serde_json::Value = serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?;
    let prices = v["prices"].as_object().ok_or_else(|| format!("{}: no prices object", path.display()))?;
    let mut out = Vec::new();
    for (t, p) in prices {
        let usd = Decimal::from_str(&p.to_string()).map_err(|e| format!("{}: {t}: {e}", path.display()))?;
        out.push((t.clone(), usd.normalize().to_string()));
    }
    Ok(out)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_csv(path: &Path) -> Result<Vec<Row>, String> {
    let text = read(path)?;
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().map_err(|e| format!("{}: {e}", path.display()))?.clone();
    r.records()
        .map(|rec| {
            let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(headers.iter().map(str::to_string).zip(rec.iter().map(str::to_string)).collect())
        })
        .collect()
}

/// `repo@<40 hex>` → `repo@<8 hex>`.
fn shorten_commit(source: &str) -> String {
    match source.split_once('@') {
        Some((repo, rest)) if rest.len() >= 40 && rest[..40].bytes().all(|b| b.is_ascii_hexdigit()) => {
            format!("{repo}@{}{}", &rest[..8], rest[40..].replacen(':', " ", 1))
        }
        _ => source.to_string(),
    }
}

/// A CSV field, quoted when it must be.
fn quote(v: &str) -> String {
    if v.contains([',', '"', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

fn write(path: &Path, header: &str, lines: &[String]) -> Result<(), String> {
    let mut text = String::with_capacity(lines.len() * 160);
    text.push_str(header);
    text.push('\n');
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}
