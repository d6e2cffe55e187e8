//! The command line: `serve`, `estimate`, `import`.

use crate::import::{import_reader, merge, Context as ImportContext, Format};
use crate::state::AppState;
use anyhow::{anyhow, Context};
use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tco_engine::{Assumptions, Scenario};

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
    },
    /// Estimate the cost of imported workloads today and on AWS.
    Estimate {
        /// Files to import (Heroku formation JSON, or this tool's import JSON).
        #[arg(long = "input", value_name = "FILE", required_unless_present = "scenario", conflicts_with = "scenario")]
        inputs: Vec<PathBuf>,
        /// A scenario document: workloads plus assumptions.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        /// AWS region (overrides the scenario's).
        #[arg(long)]
        region: Option<String>,
        /// Availability zones to spread over (overrides the scenario's).
        #[arg(long)]
        availability_zones: Option<u32>,
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
        /// Only this region.
        #[arg(long)]
        region: Option<String>,
        /// Output format.
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
        crate::catalog::active()
    } else {
        crate::catalog::init(cli.catalog.as_deref()).context("cannot load the catalog")?
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
            let q = tco_engine::explore::InstanceQuery {
                family: filter,
                region,
                sort: Some("name".into()),
                ..Default::default()
            };
            let rows = tco_engine::explore::query(active.catalog, &q);
            crate::table::print_catalog(&rows, active, format_name(format))?;
            Ok(())
        }
        Command::Serve { addr, dist } => serve(addr, dist),
        Command::Estimate { inputs, scenario, format, region, availability_zones } => {
            crate::telemetry::init("warn");
            let mut scenario = match scenario {
                Some(path) => {
                    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
                    crate::routes::estimate_parse(&path.display().to_string(), &bytes)?
                }
                None => Scenario {
                    name: String::new(),
                    workloads: read_imports(&inputs, None, None)?,
                    assumptions: Assumptions::default(),
                },
            };
            if let Some(region) = region {
                scenario.assumptions.region = region;
            }
            if let Some(azs) = availability_zones {
                scenario.assumptions.availability_zones = azs;
            }
            let report = tco_engine::estimate(&scenario, active.catalog)?;
            match format {
                OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                OutputFormat::Table => print!("{}", crate::table::render(&report)),
            }
            Ok(())
        }
        Command::Import { files, from, app, format } => {
            crate::telemetry::init("warn");
            let workloads = read_imports(&files, from.0, app.as_deref())?;
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

/// Imports files from disk, streaming each (logs in bounded memory) with a progress bar on a terminal.
fn read_imports(paths: &[PathBuf], force: Option<Format>, app: Option<&str>) -> anyhow::Result<tco_engine::Workloads> {
    let assumptions = Assumptions::default();
    let ctx = ImportContext { catalog: crate::catalog::active().catalog, assumptions: &assumptions, app };
    let mut workloads = tco_engine::Workloads::default();
    for path in paths {
        let name = path.display().to_string();
        let (format, one) = if name == "-" {
            let stdin = std::io::stdin().lock();
            import_reader("stdin", std::io::BufReader::with_capacity(1 << 20, stdin), ctx, force, &mut |_| {})?
        } else {
            let file = std::fs::File::open(path).with_context(|| format!("cannot read {name}"))?;
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            let bar = indicatif::ProgressBar::new(len).with_message(name.clone());
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec}",
                )
                .expect("valid template"),
            );
            let result = import_reader(&name, std::io::BufReader::with_capacity(1 << 20, file), ctx, force, &mut |n| {
                bar.set_position(n)
            });
            bar.finish_and_clear();
            result?
        };
        let summary = crate::import::summary(&name, format, &one);
        eprintln!(
            "{name}: {} ({} apps, {} processes, {} instances{})",
            serde_json::to_value(format)?.as_str().unwrap_or_default(),
            summary.apps,
            summary.processes,
            summary.instances,
            if summary.skipped > 0 { format!(", {} skipped", summary.skipped) } else { String::new() }
        );
        merge(&mut workloads, one);
    }
    for w in &workloads.warnings {
        match w.line {
            Some(line) => eprintln!("warning: {}: line {line}: {}", w.file, w.message),
            None => eprintln!("warning: {}: {}", w.file, w.message),
        }
    }
    Ok(workloads)
}

fn serve(addr: SocketAddr, dist: PathBuf) -> anyhow::Result<()> {
    crate::telemetry::init("info,tower_http=info");
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let state = AppState::new(Some(dist.clone()));
        if state.dist.is_none() {
            tracing::warn!(dist = %dist.display(), "no built front end found; `/` explains how to build it");
        }
        let listener =
            tokio::net::TcpListener::bind(addr).await.map_err(|e| anyhow!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr()?;
        println!("tco is serving on http://{local}/");
        crate::serve(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        Ok(())
    })
}
