//! The command line: `serve`, `estimate`, `crosscheck`, `import`, `pricing`.

use crate::catalog::ActiveCatalog;
use crate::import::{Context as ImportContext, Format, Limits};
use crate::state::AppState;
use crate::store::Store;
use anyhow::{anyhow, Context};
use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tco_engine::bill::CostBasis;
use tco_engine::limits::Limits as EstimateLimits;
use tco_engine::{Assumptions, Platform, PricingModel, Scenario, SizingPolicy};

/// Cloud TCO estimator: what your workloads cost today, and on AWS.
#[derive(Parser)]
#[command(name = "tco", version)]
pub struct Cli {
    /// A catalog snapshot directory to use instead of the embedded one.
    #[arg(long, global = true, env = "TCO_CATALOG", value_name = "DIR")]
    catalog: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the JSON API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "TCO_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The built front end (Trunk's output).
        #[arg(long, env = "TCO_DIST", default_value = "dist")]
        dist: PathBuf,
        #[command(flatten)]
        options: ServeOptions,
    },
    /// Estimate the cost of imported workloads today and on AWS.
    Estimate {
        /// Files to import (any supported format); with `--scenario`, they replace its workloads.
        #[arg(long = "input", value_name = "FILE", num_args = 1.., required_unless_present = "scenario")]
        inputs: Vec<PathBuf>,
        /// A scenario document: workloads plus assumptions.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// Target platforms (repeat or comma-separate): ecs-ec2, eks-ec2, eks-auto,
        /// ecs-fargate, eks-fargate, ec2.
        #[arg(long = "target", value_name = "TARGET", value_delimiter = ',', value_parser = parse_target)]
        targets: Vec<Platform>,
        /// AWS region (overrides the scenario's); several, comma-separated
        /// (`us-east-1,eu-west-1`), estimate each target in each region side by side.
        #[arg(long, value_name = "REGION", value_delimiter = ',')]
        region: Vec<String>,
        /// Instance families or exact types the node plan may use, e.g. `c5,m5,r5.2xlarge`.
        #[arg(long, value_name = "LIST", value_delimiter = ',')]
        instance_types: Vec<String>,
        /// Availability zones to spread over.
        #[arg(long = "azs", visible_alias = "availability-zones", value_name = "N")]
        availability_zones: Option<u32>,
        /// The highest share of a node the plan fills, 0.05 ≤ F ≤ 1 (1.0 turns headroom off).
        #[arg(long, value_name = "F")]
        headroom: Option<tco_engine::scenario::Headroom>,
        /// How compute is paid for: on-demand, spot, compute-sp-1y, compute-sp-3y, ri-1y, ri-3y.
        #[arg(long, value_name = "MODEL", value_parser = parse_pricing)]
        pricing: Option<PricingModel>,
        /// Where requests come from: `dyno` (the dyno's or instance's size) or `measured` (p95
        /// use from imported logs or CloudWatch metrics).
        #[arg(long, value_name = "POLICY", value_parser = parse_sizing)]
        sizing: Option<SizingPolicy>,
        /// The basis an imported bill is read on: unblended, net-unblended, amortized, net-amortized.
        #[arg(long, value_name = "BASIS", value_parser = parse_basis)]
        bill_basis: Option<CostBasis>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// Write to this file instead of standard output (needed for xlsx).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check an option's plan against AWS's own Pricing Calculator: its usage lines become a
    /// workload estimate that AWS prices, shown beside our figures (needs AWS credentials).
    Crosscheck {
        /// Files to import (any supported format); with `--scenario`, they replace its workloads.
        #[arg(long = "input", value_name = "FILE", num_args = 1.., required_unless_present = "scenario")]
        inputs: Vec<PathBuf>,
        /// A scenario document: workloads plus assumptions.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// The option to check (default: the scenario's cheapest).
        #[arg(long, value_name = "TARGET", value_parser = parse_target)]
        target: Option<Platform>,
        /// AWS region (overrides the scenario's).
        #[arg(long)]
        region: Option<String>,
        /// The account the usage belongs to (default: the caller's, from STS GetCallerIdentity).
        #[arg(long, value_name = "ID")]
        account_id: Option<String>,
        /// The rates AWS prices at.
        #[arg(long, value_name = "RATE", default_value = "before-discounts", value_parser = parse_rate_type)]
        rate_type: crate::crosscheck::RateType,
        /// Keep the workload estimate in the account (it is deleted otherwise).
        #[arg(long)]
        keep: bool,
        /// Send Pricing Calculator calls here instead of AWS (the SDK's
        /// `AWS_ENDPOINT_URL_BCM_PRICING_CALCULATOR` and `AWS_ENDPOINT_URL` also apply).
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// The price catalog: show it.
    #[command(subcommand)]
    Pricing(PricingCommand),
    /// Import files and print the normalized workloads.
    Import {
        /// Files to import (`-` reads standard input).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The input format; `auto` detects it from each file's content.
        #[arg(long, default_value = "auto", value_parser = parse_from)]
        from: FromFormat,
        /// The app that files without app names (logs, `heroku ps` text) belong to;
        /// by default the file's name without extension.
        #[arg(long)]
        app: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
        format: OutputFormat,
    },
}

/// Where `serve` keeps saved scenarios, who may edit them, and its limits.
#[derive(clap::Args)]
struct ServeOptions {
    /// The directory for the SQLite database of saved scenarios (default: the user's data
    /// directory, e.g. `~/.local/share/tco`).
    #[arg(long, env = "TCO_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// A database URL instead of the data directory: `postgres://USER:PASSWORD@HOST/DB`, or
    /// `sqlite://PATH?mode=rwc`.
    #[arg(long, env = "TCO_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    database_url: Option<String>,
    /// When set, the scenario endpoints need `Authorization: Bearer TOKEN`; share links stay open.
    #[arg(
        long,
        env = "TCO_AUTH_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true,
        conflicts_with = "auth_token_file"
    )]
    auth_token: Option<String>,
    /// The token read from a file (its first line), so it stays out of the process list.
    #[arg(long, env = "TCO_AUTH_TOKEN_FILE", value_name = "FILE")]
    auth_token_file: Option<PathBuf>,
    /// The largest request body, MiB, except on imports.
    #[arg(long, env = "TCO_BODY_LIMIT_MIB", value_name = "MIB", default_value_t = 10)]
    body_limit_mib: usize,
    /// The largest import body, MiB (also how far a gzip or zstd upload may inflate).
    #[arg(long, env = "TCO_IMPORT_LIMIT_MIB", value_name = "MIB", default_value_t = 100)]
    import_limit_mib: usize,
    /// Files in one import upload.
    #[arg(long, env = "TCO_IMPORT_MAX_FILES", value_name = "N", default_value_t = Limits::DEFAULT_MAX_FILES)]
    import_max_files: usize,
    /// Process types in one imported file.
    #[arg(long, env = "TCO_IMPORT_MAX_PROCESSES", value_name = "N", default_value_t = Limits::DEFAULT_MAX_PROCESSES_PER_FILE)]
    import_max_processes: usize,
    /// Requests handled at once; more wait their turn.
    #[arg(long, env = "TCO_MAX_CONCURRENCY", value_name = "N", default_value_t = 256,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_concurrency: u32,
    /// Seconds a request may take before it gets 408; its estimate stops then too.
    #[arg(long, env = "TCO_REQUEST_TIMEOUT_SECS", value_name = "SECS", default_value_t = 30)]
    request_timeout_secs: u64,
    /// Estimates, imports and exports run at once (default: one per core).
    #[arg(long, env = "TCO_WORKERS", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    workers: Option<u32>,
    /// CPU jobs waiting for a worker at most; beyond it the answer is 503 with Retry-After.
    #[arg(long, env = "TCO_QUEUE", value_name = "N", default_value_t = crate::state::DEFAULT_QUEUE)]
    queue: usize,
    /// Open connections at most; more wait in the kernel's backlog.
    #[arg(long, env = "TCO_MAX_CONNECTIONS", value_name = "N", default_value_t = crate::state::DEFAULT_MAX_OPEN)]
    max_connections: usize,
    /// Seconds a connection may stay silent (no request head) before it is closed.
    #[arg(long, env = "TCO_IDLE_TIMEOUT_SECS", value_name = "SECS", default_value_t = 30)]
    idle_timeout_secs: u64,
    /// Seconds requests in flight may finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "TCO_SHUTDOWN_GRACE_SECS", value_name = "SECS", default_value_t = 35)]
    shutdown_grace_secs: u64,
    /// When given, the only `Host` names served (comma-separated, e.g. `tco.internal,localhost`).
    #[arg(long, env = "TCO_ALLOWED_HOSTS", value_name = "HOSTS", value_delimiter = ',')]
    allowed_hosts: Vec<String>,
    /// Processes one estimate may hold.
    #[arg(long, env = "TCO_MAX_PROCESSES", value_name = "N", default_value_t = EstimateLimits::default().processes)]
    max_processes: usize,
    /// Replicas one process may have in any hour.
    #[arg(long, env = "TCO_MAX_REPLICAS_PER_PROCESS", value_name = "N", default_value_t = EstimateLimits::default().replicas_per_process)]
    max_replicas_per_process: u32,
    /// Replicas of all processes together at the busiest hour.
    #[arg(long, env = "TCO_MAX_REPLICAS", value_name = "N", default_value_t = EstimateLimits::default().replicas)]
    max_replicas: u64,
    /// The packing work one estimate may do, in work units (about 80 ns each on a 2-core machine).
    #[arg(long, env = "TCO_MAX_WORK", value_name = "UNITS", default_value_t = EstimateLimits::default().work)]
    max_work: u64,
}

#[derive(Subcommand)]
enum PricingCommand {
    /// Refresh prices from the AWS Price List Query API (needs AWS credentials with
    /// pricing:GetProducts) into the `--catalog` directory.
    Refresh {
        /// Regions to refresh, e.g. `--region us-east-1 --region eu-west-1`.
        #[arg(long = "region", required = true)]
        regions: Vec<String>,
        /// Send Price List API calls here instead of AWS (a proxy or a recorded replay).
        #[arg(long, env = "TCO_PRICING_ENDPOINT_URL")]
        endpoint_url: Option<String>,
    },
    /// Import an AWS Price List bulk offer file (EC2 CSV or JSON, or a Savings Plans file)
    /// into the `--catalog` directory.
    ImportOfferFile {
        /// The offer file.
        file: PathBuf,
        /// Only this region's rows (default: every region in the file).
        #[arg(long)]
        region: Option<String>,
    },
    /// List instance types with their prices, sources and dates.
    Show {
        /// An instance type, a family (`c5`) or several (`c5,m6i`); all when absent.
        filter: Option<String>,
        /// Only this region (any region of the catalog; all when absent).
        #[arg(long)]
        region: Option<String>,
        /// Output format; each row carries the spot saving, spot price, interruption bucket and
        /// feed date where the Spot Instance Advisor feed has the type in the row's region.
        #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
        format: ShowFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ShowFormat {
    Table,
    Json,
    Csv,
}

/// `--from`: `auto` or a format name.
#[derive(Clone, Copy)]
struct FromFormat(Option<Format>);

fn format_name(f: ShowFormat) -> &'static str {
    match f {
        ShowFormat::Table => "table",
        ShowFormat::Json => "json",
        ShowFormat::Csv => "csv",
    }
}

fn parse_from(s: &str) -> Result<FromFormat, String> {
    if s == "auto" {
        return Ok(FromFormat(None));
    }
    <Format as ValueEnum>::from_str(s, true).map(|f| FromFormat(Some(f))).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|p| p.get_name().to_string())
            .collect();
        format!("unknown format `{s}`; one of: auto, {}", names.join(", "))
    })
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Json,
    Table,
}

/// How `estimate` writes its report.
#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// Readable tables.
    Table,
    /// The JSON report.
    Json,
    /// One row per cost line.
    Csv,
    /// A workbook with every section (needs `--out`).
    Xlsx,
    /// A self-contained report to print or e-mail: inline styles and charts, no scripts.
    Html,
}

/// Runs the command line; errors go to stderr with a non-zero exit.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // Refresh and import write into --catalog, which need not exist yet; everything else reads it.
    let writes_catalog = matches!(
        cli.command,
        Command::Pricing(PricingCommand::Refresh { .. } | PricingCommand::ImportOfferFile { .. })
    );
    let active = if writes_catalog {
        ActiveCatalog::embedded()
    } else {
        ActiveCatalog::load(cli.catalog.as_deref()).context("cannot load the catalog")?
    };
    match cli.command {
        Command::Pricing(PricingCommand::Refresh { regions, endpoint_url }) => {
            crate::telemetry::init("warn");
            let dir = cli
                .catalog
                .as_deref()
                .ok_or_else(|| anyhow!("give --catalog DIR (or TCO_CATALOG) for the refreshed snapshot"))?;
            print!("{}", crate::pricing::refresh::run(&regions, dir, endpoint_url.as_deref())?);
            Ok(())
        }
        Command::Pricing(PricingCommand::ImportOfferFile { file, region }) => {
            crate::telemetry::init("warn");
            let dir = cli
                .catalog
                .as_deref()
                .ok_or_else(|| anyhow!("give --catalog DIR (or TCO_CATALOG) for the updated snapshot"))?;
            print!("{}", crate::pricing::offer_file::run(&file, region.as_deref(), dir)?);
            Ok(())
        }
        Command::Pricing(PricingCommand::Show { filter, region, format }) => {
            if let Some(r) = region.as_deref() {
                let regions = active.regions();
                if !regions.contains(&r) {
                    return Err(anyhow!(
                        "region `{r}` has no prices in the catalog; it has {} regions: {}",
                        regions.len(),
                        regions.join(", ")
                    ));
                }
            }
            let q = tco_engine::explore::InstanceQuery {
                family: filter,
                region,
                sort: Some("name".into()),
                ..Default::default()
            };
            let rows = crate::table::show_rows(tco_engine::explore::query(&active, &q), &active);
            crate::table::print_catalog(&rows, &active, format_name(format))?;
            Ok(())
        }
        Command::Serve { addr, dist, options } => serve(addr, dist, options, active),
        Command::Estimate {
            inputs,
            scenario,
            targets,
            region,
            instance_types,
            availability_zones,
            headroom,
            pricing,
            sizing,
            bill_basis,
            format,
            out,
        } => {
            crate::telemetry::init("warn");
            let mut scenario = read_scenario(&active, scenario.as_deref(), &inputs)?;
            let a = &mut scenario.assumptions;
            if !targets.is_empty() {
                a.targets = targets;
            }
            match region.as_slice() {
                [] => {}
                [one] => {
                    a.region = one.clone();
                    a.regions.clear();
                }
                [first, ..] => {
                    a.region = first.clone();
                    a.regions = region;
                }
            }
            if !instance_types.is_empty() {
                a.instance_types = instance_types;
            }
            if let Some(azs) = availability_zones {
                a.availability_zones = azs;
            }
            if let Some(h) = headroom {
                a.headroom = h;
            }
            if let Some(p) = pricing {
                a.pricing = p;
            }
            if let Some(p) = sizing {
                a.sizing = p;
            }
            if let Some(b) = bill_basis {
                a.bill_basis = b;
            }
            let report = tco_engine::estimate(&scenario, &active)?;
            let bytes = match format {
                ReportFormat::Table => crate::table::render(&report).into_bytes(),
                ReportFormat::Json => {
                    let mut b = serde_json::to_vec_pretty(&report)?;
                    b.push(b'\n');
                    b
                }
                ReportFormat::Csv => crate::export::to_csv(&report)?,
                ReportFormat::Xlsx => {
                    if out.is_none() {
                        return Err(anyhow!("--format xlsx writes a binary workbook: give --out FILE"));
                    }
                    crate::export::to_xlsx(&report)?
                }
                ReportFormat::Html => crate::export::to_html(&report, &scenario.name).into_bytes(),
            };
            match out {
                Some(path) => write_atomically(&path, &bytes)?,
                None => {
                    use std::io::Write;
                    std::io::stdout().write_all(&bytes)?;
                }
            }
            Ok(())
        }
        Command::Crosscheck { inputs, scenario, target, region, account_id, rate_type, keep, endpoint_url, format } => {
            // The credential chain logs each provider it tries; the error says what matters.
            crate::telemetry::init("warn,aws_config=error");
            let mut scenario = read_scenario(&active, scenario.as_deref(), &inputs)?;
            if let Some(region) = region {
                scenario.assumptions.region = region;
                scenario.assumptions.regions.clear();
            }
            let prepared = crate::crosscheck::prepare(scenario, &active, target)?;
            let settings = crate::crosscheck::Settings { endpoint_url, account_id, ..Default::default() };
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let checked = runtime.block_on(async {
                let clients = crate::crosscheck::connect(&settings).await?;
                crate::crosscheck::check(&clients, &prepared, rate_type, keep, settings.poll).await
            })?;
            match format {
                OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&checked)?),
                OutputFormat::Table => print!("{}", crate::crosscheck::render_table(&checked)),
            }
            Ok(())
        }
        Command::Import { files, from, app, format } => {
            crate::telemetry::init("warn");
            let workloads = read_imports(&active, &files, from.0, app.as_deref())?;
            match format {
                OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&workloads)?),
                OutputFormat::Table => {
                    for app in &workloads.apps {
                        for p in &app.processes {
                            println!(
                                "{}/{}: {} × {} ({} m CPU, {} MiB) {} per month",
                                app.name,
                                p.name,
                                p.replicas,
                                p.size.as_deref().unwrap_or("-"),
                                p.cpu_millicores,
                                p.memory_mib,
                                tco_engine::format::usd(p.monthly_usd)
                            );
                        }
                    }
                    println!("total: {} per month", tco_engine::format::usd(workloads.current_monthly_usd));
                }
            }
            Ok(())
        }
    }
}

/// The scenario document at `path` (default assumptions when absent), its workloads replaced
/// by `inputs` when there are any.
fn read_scenario(
    catalog: &tco_engine::Catalog,
    path: Option<&std::path::Path>,
    inputs: &[PathBuf],
) -> anyhow::Result<Scenario> {
    let mut scenario = match path {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            crate::document::parse_scenario(&path.display().to_string(), &bytes)?
        }
        None => Scenario { name: String::new(), workloads: Default::default(), assumptions: Assumptions::default() },
    };
    if !inputs.is_empty() {
        scenario.workloads = read_imports(catalog, inputs, None, None)?;
    }
    Ok(scenario)
}

/// Writes `bytes` to `path` through a temporary file beside it, so a failed run never leaves
/// a half-written file where the old one was.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = path.file_name().ok_or_else(|| anyhow!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn parse_target(name: &str) -> Result<Platform, String> {
    Platform::parse(name).ok_or_else(|| {
        let known: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
        format!("`{name}` is not a target; use one of {}", known.join(", "))
    })
}

fn parse_rate_type(name: &str) -> Result<crate::crosscheck::RateType, String> {
    crate::crosscheck::RateType::parse(name).ok_or_else(|| {
        let known: Vec<&str> = crate::crosscheck::RateType::ALL.iter().map(|r| r.as_str()).collect();
        format!("`{name}` is not a rate type; use one of {}", known.join(", "))
    })
}

fn parse_sizing(name: &str) -> Result<SizingPolicy, String> {
    match name {
        "dyno" => Ok(SizingPolicy::Dyno),
        "measured" => Ok(SizingPolicy::Measured),
        _ => Err(format!("`{name}` is not a sizing policy; use dyno or measured")),
    }
}

fn parse_basis(name: &str) -> Result<CostBasis, String> {
    CostBasis::parse(name).ok_or_else(|| {
        let known: Vec<&str> = CostBasis::ALL.iter().map(|b| b.as_str()).collect();
        format!("`{name}` is not a cost basis; use one of {}", known.join(", "))
    })
}

fn parse_pricing(name: &str) -> Result<PricingModel, String> {
    PricingModel::parse(name).ok_or_else(|| {
        let known: Vec<&str> = PricingModel::ALL.iter().map(|p| p.as_str()).collect();
        format!("`{name}` is not a pricing model; use one of {}", known.join(", "))
    })
}

/// Imports files from disk, streaming each (logs in bounded memory, billing exports scanned by
/// columns) with a progress bar on a terminal. A folder stands for the files in it; an export's
/// folder for the data files its manifests list.
fn read_imports(
    catalog: &tco_engine::Catalog,
    paths: &[PathBuf],
    force: Option<Format>,
    app: Option<&str>,
) -> anyhow::Result<tco_engine::Workloads> {
    let assumptions = Assumptions::default();
    let ctx = ImportContext { app, ..ImportContext::new(catalog, &assumptions) };
    let plan = crate::import::files::plan(paths, force, ctx.limits)?;
    let mut merger = crate::import::Merger::new(ctx);
    merger.add(tco_engine::Workloads { warnings: plan.warnings, ..Default::default() });
    for item in plan.files {
        let name = item.name.clone();
        let (format, one) = if name == "-" {
            let stdin = std::io::stdin().lock();
            crate::import::import_reader(
                "stdin",
                std::io::BufReader::with_capacity(1 << 20, stdin),
                ctx,
                force,
                &mut |_| {},
            )?
        } else {
            let file = std::fs::File::open(&item.path).with_context(|| format!("cannot read {name}"))?;
            let bar = bar(file.metadata().map(|m| m.len()).unwrap_or(0), &name);
            let result = crate::import::import_reader(
                &name,
                std::io::BufReader::with_capacity(1 << 20, file),
                ctx,
                item.format.or(force),
                &mut |n| bar.set_position(n),
            );
            bar.finish_and_clear();
            result?
        };
        report(&name, format, &one)?;
        merger.add(one);
    }
    if !plan.exports.is_empty() {
        let total: u64 = plan.exports.iter().map(|(s, _)| s.len()).sum();
        let label = match plan.exports.len() {
            1 => plan.exports[0].0.name.clone(),
            n => format!("{n} billing export files"),
        };
        let bar = bar(total, &label);
        let formats: Vec<Format> = plan.exports.iter().map(|(_, f)| *f).collect();
        let one = crate::import::billing::import(plan.exports, ctx, &mut |n| bar.set_position(n));
        bar.finish_and_clear();
        let one = one?;
        let format = formats.iter().copied().find(|f| *f != Format::ExportManifest).unwrap_or(Format::AwsCur);
        report(&label, format, &one)?;
        merger.add(one);
    }
    let workloads = merger.finish();
    for w in &workloads.warnings {
        match w.line {
            Some(line) => eprintln!("warning: {}: line {line}: {}", w.file, w.message),
            None => eprintln!("warning: {}: {}", w.file, w.message),
        }
    }
    Ok(workloads)
}

/// A progress bar of `len` bytes (hidden when standard error is not a terminal).
fn bar(len: u64, name: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len).with_message(name.to_string());
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec}",
        )
        .expect("valid template"),
    );
    bar
}

/// What a file (or an export) was recognised as, on standard error.
fn report(name: &str, format: Format, one: &tco_engine::Workloads) -> anyhow::Result<()> {
    let summary = crate::import::summary(name, format, one);
    eprintln!(
        "{name}: {} ({} apps, {} processes, {} instances{})",
        serde_json::to_value(format)?.as_str().unwrap_or_default(),
        summary.apps,
        summary.processes,
        summary.instances,
        if summary.skipped > 0 { format!(", {} skipped", summary.skipped) } else { String::new() }
    );
    Ok(())
}

fn serve(addr: SocketAddr, dist: PathBuf, options: ServeOptions, catalog: ActiveCatalog) -> anyhow::Result<()> {
    crate::telemetry::init("info,tower_http=info");
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let store = match &options.database_url {
            Some(url) => {
                let store = Store::open(url).await?;
                tracing::info!(database = %crate::store::redact(url), "saved scenarios");
                store
            }
            None => {
                let dir = options.data_dir.clone().unwrap_or_else(default_data_dir);
                let store = Store::open_dir(&dir).await?;
                tracing::info!(database = %dir.join(crate::store::DATABASE_FILE).display(), "saved scenarios");
                store
            }
        };
        let mut state = AppState::new(Some(dist.clone())).with_store(store.clone());
        state.catalog = std::sync::Arc::new(catalog);
        state.body_limit_bytes = options.body_limit_mib.saturating_mul(1024 * 1024);
        state.import_limit_bytes = options.import_limit_mib.saturating_mul(1024 * 1024);
        state.import_limits.max_files = options.import_max_files;
        state.import_limits.max_processes_per_file = options.import_max_processes;
        state.max_concurrency = options.max_concurrency as usize;
        state.request_timeout = std::time::Duration::from_secs(options.request_timeout_secs.max(1));
        let token = match &options.auth_token_file {
            Some(file) => Some(
                std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read the token file {}", file.display()))?
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            ),
            None => options.auth_token.clone(),
        };
        state.auth_token = token.filter(|t| !t.is_empty()).map(Into::into);
        state.cpu = match options.workers {
            Some(n) => crate::pool::CpuPool::new(n as usize, options.queue),
            None => crate::pool::CpuPool::per_core(options.queue),
        };
        state.connections = crate::state::Connections {
            max_open: options.max_connections.max(1),
            header_read_timeout: std::time::Duration::from_secs(options.idle_timeout_secs.max(1)),
            shutdown_grace: std::time::Duration::from_secs(options.shutdown_grace_secs),
        };
        state.allowed_hosts = (!options.allowed_hosts.is_empty()).then(|| options.allowed_hosts.clone());
        state.limits = EstimateLimits {
            processes: options.max_processes,
            replicas_per_process: options.max_replicas_per_process,
            replicas: options.max_replicas,
            work: options.max_work,
            ..EstimateLimits::default()
        };
        if state.auth_token.is_some() {
            tracing::info!("the scenario endpoints need a bearer token");
        }
        if state.dist.is_none() {
            tracing::warn!(dist = %dist.display(), "no built front end found; `/` explains how to build it");
        }
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|e| anyhow!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr()?;
        println!("tco is serving on http://{local}/");
        crate::serve(listener, state, shutdown_signal()).await?;
        // In-flight requests have finished; let the database close cleanly.
        store.close().await;
        tracing::info!("stopped");
        Ok(())
    })
}

/// The user's data directory for tco, or `./tco-data` where there is none.
fn default_data_dir() -> PathBuf {
    dirs::data_dir().map(|d| d.join("tco")).unwrap_or_else(|| PathBuf::from("tco-data"))
}

/// Resolves on Ctrl-C or SIGTERM; the server then stops accepting and finishes what it has.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
