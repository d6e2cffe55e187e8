//! The price catalog snapshot, embedded in the binary and the front end, and its loader.
//!
//! The snapshot lives in `data/` as CSV files plus `manifest.json`, which records each file's
//! source and date; every row also carries its own `source` and `as_of`. See `README.md` for
//! how the files were made. Loading validates every row and names the file, line and field of
//! the first problem.

use rust_decimal::Decimal;
use serde::Deserialize;
use std::sync::OnceLock;

pub mod update;
use tco_engine::catalog::{
    AddonPlan, Arch, AssumptionDefault, CatalogError, CatalogParts, Commitment, DynoSize, InstancePrice, InstanceType,
    Provenance, ServicePrice,
};
use tco_engine::Catalog;

/// The snapshot's files, embedded at build time.
pub mod files {
    /// `manifest.json`.
    pub const MANIFEST: &str = include_str!("../data/manifest.json");
    /// `ec2-instance-types.csv`.
    pub const EC2_INSTANCE_TYPES: &str = include_str!("../data/ec2-instance-types.csv");
    /// `ec2-ondemand-linux.csv`.
    pub const EC2_ONDEMAND_LINUX: &str = include_str!("../data/ec2-ondemand-linux.csv");
    /// `heroku-dyno-sizes.csv`.
    pub const HEROKU_DYNO_SIZES: &str = include_str!("../data/heroku-dyno-sizes.csv");
    /// `services.csv`.
    pub const SERVICES: &str = include_str!("../data/services.csv");
    /// `ec2-commitments.csv`.
    pub const EC2_COMMITMENTS: &str = include_str!("../data/ec2-commitments.csv");
    /// `heroku-addon-plans.csv`.
    pub const HEROKU_ADDON_PLANS: &str = include_str!("../data/heroku-addon-plans.csv");
    /// `assumptions.csv`.
    pub const ASSUMPTIONS: &str = include_str!("../data/assumptions.csv");
}

/// A snapshot file that does not load.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A row is malformed.
    #[error("{file}: line {line}: {message}")]
    Row {
        /// File name.
        file: String,
        /// 1-based line.
        line: u64,
        /// What is wrong, naming the field.
        message: String,
    },
    /// A file cannot be read or written.
    #[error("{file}: {message}")]
    File {
        /// The file's path.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// The manifest is malformed.
    #[error("manifest.json: {0}")]
    Manifest(String),
    /// The files do not fit together.
    #[error("catalog: {0}")]
    Catalog(#[from] CatalogError),
}

/// The manifest: snapshot date and per-file provenance.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    /// Snapshot date.
    pub snapshot: String,
    /// Currency of every price.
    pub currency: String,
    /// Each file's provenance.
    pub files: Vec<ManifestFile>,
    /// What the snapshot does not hold, and why.
    #[serde(default)]
    pub absent: String,
}

/// One file's entry in the manifest.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct ManifestFile {
    /// File name.
    pub file: String,
    /// What it holds.
    pub what: String,
    /// Where it came from.
    pub source: String,
    /// When.
    pub as_of: String,
}

/// The snapshot's text, one string per file, so a refreshed set can be loaded the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotFiles<'a> {
    /// `manifest.json`.
    pub manifest: &'a str,
    /// `ec2-instance-types.csv`.
    pub ec2_instance_types: &'a str,
    /// `ec2-ondemand-linux.csv`.
    pub ec2_ondemand_linux: &'a str,
    /// `heroku-dyno-sizes.csv`.
    pub heroku_dyno_sizes: &'a str,
    /// `services.csv`.
    pub services: &'a str,
    /// `ec2-commitments.csv`.
    pub ec2_commitments: &'a str,
    /// `heroku-addon-plans.csv`.
    pub heroku_addon_plans: &'a str,
    /// `assumptions.csv`.
    pub assumptions: &'a str,
}

impl SnapshotFiles<'static> {
    /// The files embedded in this build.
    pub fn embedded() -> Self {
        SnapshotFiles {
            manifest: files::MANIFEST,
            ec2_instance_types: files::EC2_INSTANCE_TYPES,
            ec2_ondemand_linux: files::EC2_ONDEMAND_LINUX,
            heroku_dyno_sizes: files::HEROKU_DYNO_SIZES,
            services: files::SERVICES,
            ec2_commitments: files::EC2_COMMITMENTS,
            heroku_addon_plans: files::HEROKU_ADDON_PLANS,
            assumptions: files::ASSUMPTIONS,
        }
    }
}

/// The embedded catalog, loaded once. The snapshot is checked by this crate's tests, so a
/// failure here is a build defect, not bad input.
pub fn embedded() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| load(SnapshotFiles::embedded()).expect("the embedded catalog snapshot is valid"))
}

/// The snapshot's file names, in the order they are loaded.
pub const FILE_NAMES: [&str; 8] = [
    "manifest.json",
    "ec2-instance-types.csv",
    "ec2-ondemand-linux.csv",
    "heroku-dyno-sizes.csv",
    "services.csv",
    "ec2-commitments.csv",
    "heroku-addon-plans.csv",
    "assumptions.csv",
];

/// A snapshot directory's files, read into memory.
#[derive(Debug, Clone)]
pub struct OwnedSnapshot {
    /// File contents in the order of [`FILE_NAMES`].
    pub texts: Vec<String>,
}

impl OwnedSnapshot {
    /// The embedded snapshot's files.
    pub fn embedded() -> Self {
        let e = SnapshotFiles::embedded();
        OwnedSnapshot {
            texts: [
                e.manifest,
                e.ec2_instance_types,
                e.ec2_ondemand_linux,
                e.heroku_dyno_sizes,
                e.services,
                e.ec2_commitments,
                e.heroku_addon_plans,
                e.assumptions,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        }
    }

    /// Reads a snapshot directory; a missing file is an error naming it.
    pub fn read_dir(dir: &std::path::Path) -> Result<Self, LoadError> {
        recover(dir)?;
        Self::read_texts(dir)
    }

    fn read_texts(dir: &std::path::Path) -> Result<Self, LoadError> {
        let texts = FILE_NAMES
            .iter()
            .map(|name| {
                let path = dir.join(name);
                std::fs::read_to_string(&path).map_err(|e| LoadError::File {
                    file: path.display().to_string(),
                    message: format!("cannot read: {e}"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(OwnedSnapshot { texts })
    }

    /// The files as borrowed text for [`load`].
    pub fn files(&self) -> SnapshotFiles<'_> {
        let t = &self.texts;
        SnapshotFiles {
            manifest: &t[0],
            ec2_instance_types: &t[1],
            ec2_ondemand_linux: &t[2],
            heroku_dyno_sizes: &t[3],
            services: &t[4],
            ec2_commitments: &t[5],
            heroku_addon_plans: &t[6],
            assumptions: &t[7],
        }
    }

    /// Writes the snapshot as directory `dir`, after checking that it loads. The files go to a
    /// staging directory beside it, synced to disk; then the old directory is moved aside and
    /// the staging one moved into place, and the old one removed. A failure before the swap
    /// changes nothing; a crash between the two renames leaves the complete new (or old)
    /// directory beside `dir`, which [`OwnedSnapshot::read_dir`] moves back into place. So a
    /// reader never sees old and new files mixed. `dir` must hold nothing but snapshot files.
    pub fn write_dir(&self, dir: &std::path::Path) -> Result<(), LoadError> {
        load(self.files())?;
        let io = |path: &std::path::Path, e: std::io::Error| LoadError::File {
            file: path.display().to_string(),
            message: format!("cannot write: {e}"),
        };
        recover(dir)?;
        if dir.is_dir() {
            let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
            for entry in entries {
                let name = entry.map_err(|e| io(dir, e))?.file_name();
                let name = name.to_string_lossy();
                if !FILE_NAMES.contains(&name.as_ref()) {
                    return Err(LoadError::File {
                        file: dir.display().to_string(),
                        message: format!(
                            "holds `{name}`, which is not a snapshot file: give an empty or snapshot directory"
                        ),
                    });
                }
            }
        }
        let (staging, old) = siblings(dir);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| io(&staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| io(&staging, e))?;
        for (name, text) in FILE_NAMES.iter().zip(&self.texts) {
            let path = staging.join(name);
            let written = std::fs::File::create(&path).and_then(|mut f| {
                use std::io::Write;
                f.write_all(text.as_bytes())?;
                f.sync_all()
            });
            if let Err(e) = written {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(io(&path, e));
            }
        }
        if dir.exists() {
            if old.exists() {
                std::fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
            }
            std::fs::rename(dir, &old).map_err(|e| io(dir, e))?;
        }
        std::fs::rename(&staging, dir).map_err(|e| io(dir, e))?;
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| io(&old, e))?;
        }
        Ok(())
    }
}

/// The staging and the set-aside directories beside `dir`: `.NAME.new` and `.NAME.old`.
fn siblings(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "snapshot".into());
    (parent.join(format!(".{name}.new")), parent.join(format!(".{name}.old")))
}

/// Finishes a swap a crash interrupted: when `dir` is missing, the staged snapshot (if it is
/// complete and loads) or else the set-aside one is moved back into place.
fn recover(dir: &std::path::Path) -> Result<(), LoadError> {
    if dir.exists() {
        return Ok(());
    }
    let (staging, old) = siblings(dir);
    let complete = |d: &std::path::Path| OwnedSnapshot::read_texts(d).is_ok_and(|s| load(s.files()).is_ok());
    let back = if staging.is_dir() && complete(&staging) {
        Some(staging)
    } else if old.is_dir() {
        Some(old)
    } else {
        None
    };
    if let Some(from) = back {
        std::fs::rename(&from, dir).map_err(|e| LoadError::File {
            file: dir.display().to_string(),
            message: format!("cannot restore the snapshot from {}: {e}", from.display()),
        })?;
    }
    Ok(())
}

/// Loads a snapshot directory (the layout of `data/`).
pub fn load_dir(dir: &std::path::Path) -> Result<(Catalog, Manifest), LoadError> {
    let snapshot = OwnedSnapshot::read_dir(dir)?;
    let files = snapshot.files();
    let manifest: Manifest = serde_json::from_str(files.manifest).map_err(|e| LoadError::Manifest(e.to_string()))?;
    Ok((load(files)?, manifest))
}

/// The embedded manifest.
pub fn embedded_manifest() -> Manifest {
    serde_json::from_str(files::MANIFEST).expect("the embedded manifest is valid")
}

#[derive(Deserialize)]
struct InstanceTypeRow {
    instance_type: String,
    family: String,
    size: String,
    generation: Option<u32>,
    vcpu: Option<u32>,
    memory_gib: String,
    arch: String,
    burstable: bool,
    eks_max_pods: Option<u32>,
}

#[derive(Deserialize)]
struct CommitmentRow {
    region: String,
    instance_type: String,
    kind: String,
    term: String,
    purchase_option: String,
    effective_usd_per_hour: String,
    source: String,
    as_of: String,
}

#[derive(Deserialize)]
struct AddonPlanRow {
    plan: String,
    service: String,
    usd_per_month: String,
    spec: String,
    confidence: String,
    source: String,
    as_of: String,
}

#[derive(Deserialize)]
struct AssumptionRow {
    id: String,
    description: String,
    value: String,
    unit: String,
    low: String,
    high: String,
    source: String,
    as_of: String,
}

#[derive(Deserialize)]
struct PriceRow {
    region: String,
    instance_type: String,
    usd_per_hour: String,
    source: String,
    as_of: String,
}

#[derive(Deserialize)]
struct DynoRow {
    name: String,
    generation: String,
    aliases: String,
    memory_mib: u32,
    vcpu: Option<u32>,
    compute_units: Option<u32>,
    dedicated: bool,
    dyno_units: String,
    usd_per_month: String,
    source: String,
    as_of: String,
}

#[derive(Deserialize)]
struct ServiceRow {
    id: String,
    description: String,
    usd: String,
    unit: String,
    confidence: String,
    source: String,
    as_of: String,
}

/// Parses every row of a CSV file, naming file, line and field on the first bad one.
fn rows<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<Vec<(u64, T)>, LoadError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers =
        reader.headers().map_err(|e| LoadError::Row { file: file.into(), line: 1, message: e.to_string() })?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| LoadError::Row {
            file: file.into(),
            line: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let row: T = record.deserialize(Some(&headers)).map_err(|e| {
            let field = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err
                    .field()
                    .and_then(|i| headers.get(i as usize))
                    .map(|h| format!("field `{h}`: {}", err.kind()))
                    .unwrap_or_else(|| err.to_string()),
                _ => e.to_string(),
            };
            LoadError::Row { file: file.into(), line, message: field }
        })?;
        out.push((line, row));
    }
    Ok(out)
}

/// A decimal field; `Ok(None)` when empty and optional.
fn decimal(file: &str, line: u64, field: &str, value: &str) -> Result<Option<Decimal>, LoadError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse::<Decimal>().map(Some).map_err(|_| LoadError::Row {
        file: file.into(),
        line,
        message: format!("field `{field}`: `{value}` is not a decimal number"),
    })
}

/// A decimal field that must be present.
fn required_decimal(file: &str, line: u64, field: &str, value: &str) -> Result<Decimal, LoadError> {
    decimal(file, line, field, value)?.ok_or_else(|| LoadError::Row {
        file: file.into(),
        line,
        message: format!("field `{field}`: missing"),
    })
}

fn date(file: &str, line: u64, value: &str) -> Result<String, LoadError> {
    let ok = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if ok {
        Ok(value.to_string())
    } else {
        Err(LoadError::Row {
            file: file.into(),
            line,
            message: format!("field `as_of`: `{value}` is not a YYYY-MM-DD date"),
        })
    }
}

/// Loads and validates a snapshot.
pub fn load(files: SnapshotFiles<'_>) -> Result<Catalog, LoadError> {
    let manifest: Manifest = serde_json::from_str(files.manifest).map_err(|e| LoadError::Manifest(e.to_string()))?;
    if manifest.currency != "USD" {
        return Err(LoadError::Manifest(format!("currency `{}` is not USD", manifest.currency)));
    }

    const TYPES: &str = "ec2-instance-types.csv";
    let mut instance_types = Vec::new();
    for (line, r) in rows::<InstanceTypeRow>(TYPES, files.ec2_instance_types)? {
        let arch = match r.arch.as_str() {
            "" => None,
            "x86_64" => Some(Arch::X86_64),
            "arm64" => Some(Arch::Arm64),
            other => {
                return Err(LoadError::Row {
                    file: TYPES.into(),
                    line,
                    message: format!("field `arch`: unknown architecture `{other}`"),
                })
            }
        };
        let memory_mib = match decimal(TYPES, line, "memory_gib", &r.memory_gib)? {
            None => None,
            Some(gib) => {
                let mib = gib * Decimal::from(1024);
                if mib.fract() != Decimal::ZERO {
                    return Err(LoadError::Row {
                        file: TYPES.into(),
                        line,
                        message: "field `memory_gib`: not a whole number of MiB".into(),
                    });
                }
                u32::try_from(mib.trunc().mantissa() / 10i128.pow(mib.trunc().scale())).ok()
            }
        };
        instance_types.push(InstanceType {
            name: r.instance_type,
            family: r.family,
            size: r.size,
            generation: r.generation,
            vcpu: r.vcpu,
            memory_mib,
            arch,
            burstable: r.burstable,
            eks_max_pods: r.eks_max_pods,
        });
    }

    const PRICES: &str = "ec2-ondemand-linux.csv";
    let mut instance_prices = Vec::new();
    for (line, r) in rows::<PriceRow>(PRICES, files.ec2_ondemand_linux)? {
        instance_prices.push(InstancePrice {
            region: r.region,
            instance_type: r.instance_type,
            usd_per_hour: required_decimal(PRICES, line, "usd_per_hour", &r.usd_per_hour)?,
            provenance: Provenance { source: r.source, as_of: date(PRICES, line, &r.as_of)? },
        });
    }

    const DYNOS: &str = "heroku-dyno-sizes.csv";
    let mut dyno_sizes = Vec::new();
    for (line, r) in rows::<DynoRow>(DYNOS, files.heroku_dyno_sizes)? {
        dyno_sizes.push(DynoSize {
            name: r.name,
            generation: r.generation,
            aliases: r.aliases.split('|').filter(|a| !a.is_empty()).map(str::to_string).collect(),
            memory_mib: r.memory_mib,
            vcpu: r.vcpu,
            compute_units: r.compute_units,
            dedicated: r.dedicated,
            dyno_units: decimal(DYNOS, line, "dyno_units", &r.dyno_units)?,
            usd_per_month: decimal(DYNOS, line, "usd_per_month", &r.usd_per_month)?,
            provenance: Provenance { source: r.source, as_of: date(DYNOS, line, &r.as_of)? },
        });
    }

    const SERVICES: &str = "services.csv";
    let mut services = Vec::new();
    for (line, r) in rows::<ServiceRow>(SERVICES, files.services)? {
        services.push(ServicePrice {
            id: r.id,
            description: r.description,
            usd: required_decimal(SERVICES, line, "usd", &r.usd)?,
            unit: r.unit,
            confidence: r.confidence,
            provenance: Provenance { source: r.source, as_of: date(SERVICES, line, &r.as_of)? },
        });
    }

    const COMMITMENTS: &str = "ec2-commitments.csv";
    let mut commitments = Vec::new();
    for (line, r) in rows::<CommitmentRow>(COMMITMENTS, files.ec2_commitments)? {
        commitments.push(Commitment {
            region: r.region,
            instance_type: r.instance_type,
            kind: r.kind,
            term: r.term,
            purchase_option: r.purchase_option,
            effective_usd_per_hour: required_decimal(
                COMMITMENTS,
                line,
                "effective_usd_per_hour",
                &r.effective_usd_per_hour,
            )?,
            provenance: Provenance { source: r.source, as_of: date(COMMITMENTS, line, &r.as_of)? },
        });
    }

    const ADDONS: &str = "heroku-addon-plans.csv";
    let mut addon_plans = Vec::new();
    for (line, r) in rows::<AddonPlanRow>(ADDONS, files.heroku_addon_plans)? {
        addon_plans.push(AddonPlan {
            plan: r.plan,
            service: r.service,
            usd_per_month: decimal(ADDONS, line, "usd_per_month", &r.usd_per_month)?,
            spec: r.spec,
            confidence: r.confidence,
            provenance: Provenance { source: r.source, as_of: date(ADDONS, line, &r.as_of)? },
        });
    }

    const ASSUMPTIONS: &str = "assumptions.csv";
    let mut assumptions = Vec::new();
    for (line, r) in rows::<AssumptionRow>(ASSUMPTIONS, files.assumptions)? {
        assumptions.push(AssumptionDefault {
            id: r.id,
            description: r.description,
            value: required_decimal(ASSUMPTIONS, line, "value", &r.value)?,
            unit: r.unit,
            low: required_decimal(ASSUMPTIONS, line, "low", &r.low)?,
            high: required_decimal(ASSUMPTIONS, line, "high", &r.high)?,
            provenance: Provenance { source: r.source, as_of: date(ASSUMPTIONS, line, &r.as_of)? },
        });
    }

    Ok(Catalog::new(CatalogParts {
        snapshot: manifest.snapshot,
        instance_types,
        instance_prices,
        dyno_sizes,
        services,
        commitments,
        addon_plans,
        assumptions,
    })?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn the_embedded_snapshot_loads_and_covers_the_required_families() {
        let c = load(SnapshotFiles::embedded()).unwrap();
        for family in ["c5", "m5", "r5", "c6i", "m6i", "r6i", "c7g", "m7g", "t3"] {
            assert!(c.instance_types.iter().any(|t| t.family == family), "family {family} missing");
        }
        for t in &c.instance_types {
            assert!(c.instance_price("us-east-1", &t.name).is_some(), "{} has no us-east-1 price", t.name);
        }
    }

    #[test]
    fn c5_2xlarge_is_8_vcpu_16_gib_at_34_cents_an_hour() {
        let c = embedded();
        let t = c.instance_type("c5.2xlarge").unwrap();
        assert_eq!(
            (t.vcpu, t.memory_mib, t.eks_max_pods, t.arch),
            (Some(8), Some(16384), Some(58), Some(Arch::X86_64))
        );
        let p = c.instance_price("us-east-1", "c5.2xlarge").unwrap();
        assert_eq!(p.usd_per_hour, Decimal::from_str("0.34").unwrap());
        assert_eq!(p.provenance.as_of, "2026-07-20");
    }

    #[test]
    fn dyno_sizes_answer_to_every_spelling() {
        let c = embedded();
        for spelling in ["Standard-2X", "standard-2x", "STANDARD-2X", "2X", " 2x "] {
            assert_eq!(c.dyno_size(spelling).map(|d| d.name.as_str()), Some("Standard-2X"), "{spelling}");
        }
        assert_eq!(c.dyno_size("PX").unwrap().name, "Performance-L");
        assert_eq!(c.dyno_size("hobby").unwrap().name, "Basic");
        assert!(c.dyno_size("Huge-9X").is_none());
    }

    #[test]
    fn every_price_has_a_source_and_a_date() {
        let c = embedded();
        let provenances = c
            .instance_prices
            .iter()
            .map(|p| &p.provenance)
            .chain(c.dyno_sizes.iter().map(|d| &d.provenance))
            .chain(c.services.iter().map(|s| &s.provenance));
        for p in provenances {
            assert!(!p.source.trim().is_empty());
            assert_eq!(p.as_of.len(), 10);
        }
        assert_eq!(c.oldest_price_as_of, "2024-10-01");
    }

    #[test]
    fn a_bad_row_names_file_line_and_field() {
        let mut files = SnapshotFiles::embedded();
        let broken = files::EC2_ONDEMAND_LINUX.replacen(",0.204,", ",cheap,", 1);
        files.ec2_ondemand_linux = &broken;
        let err = load(files).unwrap_err().to_string();
        assert!(err.starts_with("ec2-ondemand-linux.csv: line 2: field `usd_per_hour`"), "{err}");
    }

    #[test]
    fn a_snapshot_directory_round_trips_and_a_missing_file_is_named() {
        let dir = std::env::temp_dir().join(format!("tco-catalog-test-{}", std::process::id()));
        OwnedSnapshot::embedded().write_dir(&dir).unwrap();
        let (catalog, manifest) = load_dir(&dir).unwrap();
        assert_eq!(&catalog, embedded());
        assert_eq!(manifest.currency, "USD");
        std::fs::remove_file(dir.join("services.csv")).unwrap();
        let err = load_dir(&dir).unwrap_err().to_string();
        assert!(err.contains("services.csv") && err.contains("cannot read"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_broken_snapshot_is_never_written() {
        let dir = std::env::temp_dir().join(format!("tco-catalog-bad-{}", std::process::id()));
        let mut s = OwnedSnapshot::embedded();
        s.texts[2] = s.texts[2].replacen(",0.204,", ",-,", 1);
        assert!(s.write_dir(&dir).is_err());
        assert!(!dir.join("ec2-ondemand-linux.csv").exists());
    }

    #[test]
    fn a_price_for_an_unknown_type_is_refused() {
        let mut files = SnapshotFiles::embedded();
        let extra = format!("{}us-east-1,zz9.huge,1.0,test,2026-01-01\n", files::EC2_ONDEMAND_LINUX);
        files.ec2_ondemand_linux = &extra;
        assert!(matches!(load(files), Err(LoadError::Catalog(CatalogError::PriceForUnknownType { .. }))));
    }
}
