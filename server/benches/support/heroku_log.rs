//! A deterministic generator of realistic Heroku logs, shared by the `log_import` bench and the
//! `log_bench` example (each includes this file with `#[path]`).
//!
//! The log spans one week (Monday 2024-05-13 00:00 UTC onwards) whatever its size: timestamps
//! advance with the bytes written. It mixes, per line, `heroku logs` form
//! (`2024-05-13T10:20:01.123456+00:00 heroku[web.1]: …`) and log-drain form
//! (`334 <45>1 2024-05-13T10:20:01.581780+00:00 host heroku web.1 - …`), and these kinds of lines:
//! router lines (with the odd H12), app lines of varied length, runtime metrics (memory and
//! load), other platform lines (state changes), one-off `run.N` metrics and an occasional R14.
//! Web dynos scale between 3 (night) and 8 (day), workers between 2 and 4, with one clock dyno.

use std::io::{self, Write};

/// 2024-05-13T00:00:00Z, a Monday, in seconds since 1970.
const START_UNIX_SECS: i64 = 1_715_558_400;
const WEEK_MICROS: u128 = 7 * 24 * 3600 * 1_000_000;
/// Share of lines written in log-drain (syslog) framing, in percent.
const DRAIN_PERCENT: u64 = 35;

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Bytes written.
    pub bytes: u64,
    /// Lines written.
    pub lines: u64,
}

/// Writes about `target_bytes` of log to `out` (the last line may overshoot by one line),
/// deterministically for a given `seed`. Streams: memory use does not depend on the size.
pub fn write_log(out: &mut impl Write, target_bytes: u64, seed: u64) -> io::Result<Written> {
    let mut g = Generator::new(seed);
    let mut written = Written::default();
    let mut line = Vec::with_capacity(1024);
    while written.bytes < target_bytes {
        let micros = (u128::from(written.bytes) * WEEK_MICROS / u128::from(target_bytes.max(1))) as i64;
        line.clear();
        g.line(&mut line, START_UNIX_SECS * 1_000_000 + micros)?;
        out.write_all(&line)?;
        written.bytes += line.len() as u64;
        written.lines += 1;
    }
    Ok(written)
}

/// The whole log in memory (for the criterion bench).
#[allow(dead_code)]
pub fn log_in_memory(target_bytes: u64, seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(target_bytes as usize + 4096);
    write_log(&mut v, target_bytes, seed).expect("writing to a Vec cannot fail");
    v
}

const PATHS: &[&str] = &[
    "/",
    "/products",
    "/products/",
    "/cart",
    "/checkout/payment",
    "/api/v1/orders/",
    "/api/v1/search?q=blue+shoes&page=",
    "/assets/application-3f9a1c.js",
    "/users/sign_in",
    "/healthz",
];
const CONTROLLERS: &[&str] =
    &["ProductsController#show", "CartsController#update", "Api::V1::OrdersController#index", "HomeController#index"];
const JOBS: &[&str] = &["OrderMailerJob", "InventorySyncJob", "ThumbnailJob", "WebhookDeliveryJob", "ReportJob"];

struct Generator {
    state: u64,
    /// Cached `YYYY-MM-DD` of `day`.
    day: i64,
    date: [u8; 10],
    body: Vec<u8>,
}

impl Generator {
    fn new(seed: u64) -> Self {
        Generator { state: seed ^ 0x9E37_79B9_7F4A_7C15, day: i64::MIN, date: *b"1970-01-01", body: Vec::new() }
    }

    /// splitmix64.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// A number in `lo..hi` with two decimals.
    fn hundredths(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.below(1_000_000) as f64 / 1_000_000.0)
    }

    fn uuid(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
        let (a, b) = (self.next(), self.next());
        write!(
            out,
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }

    fn timestamp(&mut self, out: &mut Vec<u8>, unix_micros: i64) -> io::Result<()> {
        let secs = unix_micros.div_euclid(1_000_000);
        let day = secs.div_euclid(86_400);
        if day != self.day {
            let (y, m, d) = civil_from_days(day);
            let mut date = Vec::with_capacity(10);
            write!(date, "{y:04}-{m:02}-{d:02}")?;
            self.date.copy_from_slice(&date);
            self.day = day;
        }
        let s = secs.rem_euclid(86_400);
        out.extend_from_slice(&self.date);
        write!(out, "T{:02}:{:02}:{:02}.{:06}+00:00", s / 3600, s / 60 % 60, s % 60, unix_micros.rem_euclid(1_000_000))
    }

    /// One line, newline included, at `unix_micros`.
    fn line(&mut self, out: &mut Vec<u8>, unix_micros: i64) -> io::Result<()> {
        let hour_of_day = unix_micros.div_euclid(3_600_000_000).rem_euclid(24);
        let daytime = (8..20).contains(&hour_of_day);
        let (webs, workers) = if daytime { (8, 4) } else { (3, 2) };
        let web = 1 + self.below(webs);
        let worker = 1 + self.below(workers);
        // (process type, dyno number) of a random running dyno, web twice as likely.
        let any_dyno = |g: &mut Generator| match g.below(5) {
            0 | 1 => ("web", web),
            2 | 3 => ("worker", worker),
            _ => ("clock", 1),
        };
        self.body.clear();
        let mut body = std::mem::take(&mut self.body);
        let kind = self.below(1000);
        // (source, dyno or "router") of the line.
        let (source, process, number): (&str, &str, u64) = if kind < 380 {
            self.router_body(&mut body, web)?;
            ("heroku", "router", 0)
        } else if kind < 680 {
            let (p, n) = any_dyno(self);
            self.app_body(&mut body, p)?;
            ("app", p, n)
        } else if kind < 800 {
            let (p, n) = any_dyno(self);
            self.memory_body(&mut body, p, n)?;
            ("heroku", p, n)
        } else if kind < 920 {
            let (p, n) = any_dyno(self);
            self.load_body(&mut body, p, n)?;
            ("heroku", p, n)
        } else if kind < 990 {
            let (p, n) = any_dyno(self);
            let text = match self.below(4) {
                0 => "State changed from starting to up",
                1 => "Stopping all processes with SIGTERM",
                2 => "Process exited with status 143",
                _ => "Starting process with command `bundle exec puma -C config/puma.rb`",
            };
            body.extend_from_slice(text.as_bytes());
            ("heroku", p, n)
        } else if kind < 997 {
            // A one-off dyno's metrics: ignored by the importer, present in real logs.
            let n = 1000 + self.below(9000);
            self.memory_body(&mut body, "run", n)?;
            ("heroku", "run", n)
        } else {
            let mem = 520 + self.below(200);
            if self.below(2) == 0 {
                write!(body, "Process running mem={mem}M({:.1}%)", mem as f64 / 512.0 * 100.0)?;
            } else {
                body.extend_from_slice(b"Error R14 (Memory quota exceeded)");
            }
            ("heroku", "worker", worker)
        };
        let drain = self.below(100) < DRAIN_PERCENT;
        if drain {
            // `LEN <PRI>1 TS host SOURCE DYNO - BODY`, LEN counting the bytes after its space.
            let mut msg = Vec::with_capacity(body.len() + 96);
            let pri = if source == "app" { 190 } else { 45 };
            write!(msg, "<{pri}>1 ")?;
            self.timestamp(&mut msg, unix_micros)?;
            write!(msg, " host {source} ")?;
            if number == 0 {
                msg.extend_from_slice(process.as_bytes());
            } else {
                write!(msg, "{process}.{number}")?;
            }
            msg.extend_from_slice(b" - ");
            msg.extend_from_slice(&body);
            write!(out, "{} ", msg.len())?;
            out.extend_from_slice(&msg);
        } else {
            self.timestamp(out, unix_micros)?;
            if number == 0 {
                write!(out, " {source}[{process}]: ")?;
            } else {
                write!(out, " {source}[{process}.{number}]: ")?;
            }
            out.extend_from_slice(&body);
        }
        out.push(b'\n');
        self.body = body;
        Ok(())
    }

    fn router_body(&mut self, b: &mut Vec<u8>, web: u64) -> io::Result<()> {
        let method = if self.below(5) == 0 { "POST" } else { "GET" };
        let path = self.pick(PATHS);
        let id = self.below(100_000);
        let timeout = self.below(200) == 0;
        if timeout {
            write!(b, "at=error code=H12 desc=\"Request timeout\" method={method} path=\"{path}{id}\" ")?;
        } else {
            write!(b, "at=info method={method} path=\"{path}{id}\" ")?;
        }
        b.extend_from_slice(b"host=shop.herokuapp.com request_id=");
        self.uuid(b)?;
        let ip = self.next();
        write!(
            b,
            " fwd=\"{}.{}.{}.{}\" dyno=web.{web} connect={}ms ",
            ip & 0xff,
            ip >> 8 & 0xff,
            ip >> 16 & 0xff,
            ip >> 24 & 0xff,
            self.below(3)
        )?;
        if timeout {
            b.extend_from_slice(b"service=30000ms status=503 bytes=0 protocol=https");
        } else {
            let status = [200, 200, 200, 200, 200, 302, 304, 404, 422, 500][self.below(10) as usize];
            write!(
                b,
                "service={}ms status={status} bytes={} protocol=https",
                1 + self.below(800),
                200 + self.below(60_000)
            )?;
        }
        Ok(())
    }

    fn app_body(&mut self, b: &mut Vec<u8>, process: &str) -> io::Result<()> {
        if process == "web" {
            match self.below(4) {
                0 => {
                    let path = self.pick(PATHS);
                    let id = self.below(100_000);
                    write!(b, "I, [2024-05-13T10:20:01.123456 #{}]  INFO -- : [", 2 + self.below(8))?;
                    self.uuid(b)?;
                    write!(b, "] Started GET \"{path}{id}\" for 10.1.{}.{}", self.below(256), self.below(256))?;
                }
                1 => {
                    let c = self.pick(CONTROLLERS);
                    write!(b, "Processing by {c} as HTML")?;
                }
                2 => write!(
                    b,
                    "Completed 200 OK in {}ms (Views: {:.1}ms | ActiveRecord: {:.1}ms | Allocations: {})",
                    1 + self.below(900),
                    self.hundredths(0.1, 300.0),
                    self.hundredths(0.1, 200.0),
                    self.below(90_000)
                )?,
                _ => write!(
                    b,
                    "  Parameters: {{\"id\"=>\"{}\", \"page\"=>\"{}\"}}",
                    self.below(100_000),
                    self.below(40)
                )?,
            }
        } else if process == "worker" {
            let job = self.pick(JOBS);
            write!(b, "pid={} tid={:x} class={job} jid=", 4 + self.below(3), self.next() & 0xff_ffff)?;
            self.uuid(b)?;
            write!(b, " elapsed={:.3} INFO: done", self.hundredths(0.001, 40.0))?;
        } else {
            let job = self.pick(JOBS);
            write!(b, "I, [clock] INFO -- : Triggering '{job}'")?;
        }
        Ok(())
    }

    fn memory_body(&mut self, b: &mut Vec<u8>, process: &str, n: u64) -> io::Result<()> {
        let (quota, lo, hi) = match process {
            "web" => (1024.0, 350.0, 760.0),
            "worker" => (512.0, 180.0, 540.0),
            _ => (512.0, 90.0, 160.0),
        };
        let rss: f64 = self.hundredths(lo, hi);
        let cache = self.hundredths(0.0, 40.0);
        let swap = if rss > quota { rss - quota + self.hundredths(0.0, 20.0) } else { 0.0 };
        write!(b, "source={process}.{n} dyno=heroku.{}.", 140_000_000 + n * 7)?;
        self.uuid(b)?;
        write!(
            b,
            " sample#memory_total={:.2}MB sample#memory_rss={rss:.2}MB sample#memory_cache={cache:.2}MB \
             sample#memory_swap={swap:.2}MB sample#memory_pgpgin={}pages sample#memory_pgpgout={}pages \
             sample#memory_quota={quota:.2}MB",
            rss + cache + swap,
            self.below(5_000_000),
            self.below(5_000_000)
        )
    }

    fn load_body(&mut self, b: &mut Vec<u8>, process: &str, n: u64) -> io::Result<()> {
        let l1 = self.hundredths(0.0, 4.0);
        write!(b, "source={process}.{n} dyno=heroku.{}.", 140_000_000 + n * 7)?;
        self.uuid(b)?;
        write!(b, " sample#load_avg_1m={l1:.2} sample#load_avg_5m={:.2} sample#load_avg_15m={:.2}", l1 * 0.8, l1 * 0.6)
    }
}

/// Howard Hinnant's civil_from_days: days since 1970-01-01 → (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}
