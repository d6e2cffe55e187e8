//! Heroku logs: `heroku logs` output or a log drain (syslog framing), streamed line by line in
//! bounded memory. From runtime metrics (`sample#memory_rss`, `sample#load_avg_1m`), router
//! lines and R14/R15 errors it derives, per process type: memory and load percentiles, error
//! counts, and an hourly profile of dynos in use and requests per second over a week.
//!
//! Memory use depends on the number of process types, dynos and hours the log covers, never
//! on its size: percentiles come from HDR histograms, not from kept samples.

use super::{warning, Context, ImportError};
use hdrhistogram::Histogram;
use memchr::memmem::Finder;
use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use tco_engine::workload::{App, Measured, Origin, Process, Warning, HOURS_PER_WEEK};
use tco_engine::Workloads;

/// Lines longer than this are skipped (and counted), so one enormous line cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Memory is recorded in hundredths of a MiB, load in thousandths.
const MEMORY_SCALE: f64 = 100.0;
const LOAD_SCALE: f64 = 1000.0;

/// Per process type.
struct ProcessStats {
    memory: Histogram<u64>,
    load: Histogram<u64>,
    quota_mib: Option<f64>,
    r14: u64,
    r15: u64,
    requests: u64,
    first_line: u64,
    /// Absolute hour → dynos seen in it.
    dynos_by_hour: BTreeMap<i64, BTreeSet<u32>>,
    /// Absolute hour → router requests in it.
    requests_by_hour: BTreeMap<i64, u64>,
    /// Every dyno seen, for logs without timestamps.
    dynos: BTreeSet<u32>,
}

impl ProcessStats {
    fn new(first_line: u64) -> Self {
        ProcessStats {
            memory: Histogram::new(3).expect("3 significant figures is valid"),
            load: Histogram::new(3).expect("3 significant figures is valid"),
            quota_mib: None,
            r14: 0,
            r15: 0,
            requests: 0,
            first_line,
            dynos_by_hour: BTreeMap::new(),
            requests_by_hour: BTreeMap::new(),
            dynos: BTreeSet::new(),
        }
    }
}

/// Skipped lines, counted by reason, with the first line of each.
#[derive(Default)]
struct Skipped(BTreeMap<&'static str, (u64, u64)>);

impl Skipped {
    fn add(&mut self, reason: &'static str, line: u64) {
        self.0.entry(reason).or_insert((0, line)).0 += 1;
    }
}

struct Scanner {
    sample: Finder<'static>,
    router: Finder<'static>,
    router_drain: Finder<'static>,
    r14: Finder<'static>,
    r15: Finder<'static>,
    types: Vec<(String, ProcessStats)>,
    skipped: Skipped,
    lines: u64,
    relevant: u64,
}

/// Imports a log from any reader; `progress` gets the bytes read so far every few MiB.
pub fn import(
    file: &str,
    mut reader: impl BufRead,
    ctx: Context<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<Workloads, ImportError> {
    let mut s = Scanner {
        sample: Finder::new(b"sample#"),
        router: Finder::new(b"heroku[router]"),
        router_drain: Finder::new(b" heroku router "),
        r14: Finder::new(b"Error R14"),
        r15: Finder::new(b"Error R15"),
        types: Vec::new(),
        skipped: Skipped::default(),
        lines: 0,
        relevant: 0,
    };
    let mut partial: Vec<u8> = Vec::new();
    let mut too_long = false;
    let mut read: u64 = 0;
    let mut reported: u64 = 0;
    loop {
        let buf = reader
            .fill_buf()
            .map_err(|e| ImportError::at(file, Some(s.lines + 1), None, format!("cannot read: {e}")))?;
        if buf.is_empty() {
            if !partial.is_empty() || too_long {
                s.lines += 1;
                if too_long {
                    s.skipped.add("line longer than 64 KiB", s.lines)
                } else {
                    s.line(&partial)
                }
            }
            break;
        }
        let len = buf.len();
        let mut start = 0;
        while let Some(i) = memchr::memchr(b'\n', &buf[start..]) {
            let end = start + i;
            s.lines += 1;
            if too_long || partial.len() + (end - start) > MAX_LINE_BYTES {
                s.skipped.add("line longer than 64 KiB", s.lines);
            } else if partial.is_empty() {
                s.line(&buf[start..end]);
            } else {
                partial.extend_from_slice(&buf[start..end]);
                s.line(&partial);
            }
            partial.clear();
            too_long = false;
            start = end + 1;
        }
        if start < len {
            if partial.len() + (len - start) > MAX_LINE_BYTES {
                too_long = true;
                partial.clear();
            } else if !too_long {
                partial.extend_from_slice(&buf[start..]);
            }
        }
        reader.consume(len);
        read += len as u64;
        if read - reported >= 8 << 20 {
            progress(read);
            reported = read;
        }
    }
    progress(read);
    Ok(s.finish(file, ctx))
}

impl Scanner {
    fn stats(&mut self, process_type: &str) -> &mut ProcessStats {
        let line = self.lines;
        match self.types.iter().position(|(t, _)| t == process_type) {
            Some(i) => &mut self.types[i].1,
            None => {
                self.types.push((process_type.to_string(), ProcessStats::new(line)));
                &mut self.types.last_mut().expect("just pushed").1
            }
        }
    }

    fn line(&mut self, raw: &[u8]) {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let is_sample = self.sample.find(raw).is_some();
        let is_router = !is_sample && (self.router.find(raw).is_some() || self.router_drain.find(raw).is_some());
        let r14 = !is_sample && !is_router && self.r14.find(raw).is_some();
        let r15 = !is_sample && !is_router && !r14 && self.r15.find(raw).is_some();
        if !(is_sample || is_router || r14 || r15) {
            return;
        }
        self.relevant += 1;
        let Ok(text) = std::str::from_utf8(raw) else {
            self.skipped.add("not UTF-8", self.lines);
            return;
        };
        let hour = absolute_hour(text);
        if is_sample {
            self.runtime_metrics(text, hour);
        } else if is_router {
            self.router_line(text, hour);
        } else {
            let Some(dyno) = error_dyno(text) else {
                self.skipped.add("R14/R15 line without a dyno name", self.lines);
                return;
            };
            let (process_type, index) = split_dyno(dyno);
            let st = self.stats(process_type);
            if r14 {
                st.r14 += 1
            } else {
                st.r15 += 1
            }
            note_dyno(st, index, hour);
        }
    }

    fn runtime_metrics(&mut self, text: &str, hour: Option<i64>) {
        let Some(source) = field(text, "source=") else {
            self.skipped.add("runtime metrics without source=", self.lines);
            return;
        };
        let (process_type, index) = split_dyno(source);
        if process_type == "run" {
            return;
        }
        let rss = field(text, "sample#memory_rss=").map(parse_mib);
        let quota = field(text, "sample#memory_quota=").map(parse_mib);
        let load =
            field(text, "sample#load_avg_1m=").map(|v| v.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0));
        let bad = matches!(rss, Some(None)) || matches!(quota, Some(None)) || matches!(load, Some(None));
        if bad {
            self.skipped.add("malformed sample# value", self.lines);
            return;
        }
        let st = self.stats(process_type);
        if let Some(Some(mib)) = rss {
            let _ = st.memory.record((mib * MEMORY_SCALE).round() as u64);
        }
        if let Some(Some(q)) = quota {
            st.quota_mib = Some(q);
        }
        if let Some(Some(l)) = load {
            let _ = st.load.record((l * LOAD_SCALE).round() as u64);
        }
        note_dyno(st, index, hour);
    }

    fn router_line(&mut self, text: &str, hour: Option<i64>) {
        let Some(dyno) = field(text, "dyno=").filter(|d| !d.is_empty()) else {
            // Errors before a dyno was chosen (H10, H13 with no dyno) carry none.
            self.skipped.add("router line without dyno=", self.lines);
            return;
        };
        let (process_type, index) = split_dyno(dyno);
        let st = self.stats(process_type);
        st.requests += 1;
        if let Some(h) = hour {
            *st.requests_by_hour.entry(h).or_default() += 1;
        }
        note_dyno(st, index, hour);
    }

    fn finish(self, file: &str, ctx: Context<'_>) -> Workloads {
        let app_name = ctx.app_for(file);
        let mut warnings: Vec<Warning> = Vec::new();
        for (reason, (count, first)) in &self.skipped.0 {
            warnings.push(warning(
                file,
                Some(*first),
                format!("{count} line(s) skipped: {reason} (first at line {first})"),
            ));
        }
        if self.relevant == 0 {
            warnings.push(warning(
                file,
                None,
                format!("no runtime metrics, router or R14/R15 lines among {} lines", self.lines),
            ));
        }
        let mut processes = Vec::new();
        for (name, st) in self.types {
            let hours_seen: BTreeSet<usize> = st.dynos_by_hour.keys().map(|h| hour_of_week(*h)).collect();
            let peak = st.dynos_by_hour.values().map(|d| d.len() as u32).max().unwrap_or(st.dynos.len() as u32);
            let hourly_replicas = (!st.dynos_by_hour.is_empty()).then(|| {
                let mut by_how = vec![None::<u32>; HOURS_PER_WEEK];
                for (h, dynos) in &st.dynos_by_hour {
                    let slot = &mut by_how[hour_of_week(*h)];
                    *slot = Some(slot.unwrap_or(0).max(dynos.len() as u32));
                }
                by_how.into_iter().map(|v| v.unwrap_or(peak)).collect::<Vec<u32>>()
            });
            if hourly_replicas.is_some() && hours_seen.len() < HOURS_PER_WEEK {
                warnings.push(warning(file, None, format!(
                    "{app_name}/{name}: the log covers {} of the 168 hours of a week; hours not seen assume the peak of {peak} dynos",
                    hours_seen.len()
                )));
            }
            let hourly_requests_per_second = (!st.requests_by_hour.is_empty()).then(|| {
                let mut sums = vec![(0u64, 0u32); HOURS_PER_WEEK];
                for (h, n) in &st.requests_by_hour {
                    let s = &mut sums[hour_of_week(*h)];
                    s.0 += n;
                    s.1 += 1;
                }
                // Hours with dynos but no requests were quiet; hours never seen count as quiet too.
                sums.into_iter()
                    .map(|(n, weeks)| if weeks == 0 { 0.0 } else { n as f64 / f64::from(weeks) / 3600.0 })
                    .collect()
            });
            let measured = (!st.memory.is_empty() || !st.load.is_empty()).then(|| Measured {
                memory_mib_p50: st.memory.value_at_quantile(0.50) as f64 / MEMORY_SCALE,
                memory_mib_p95: st.memory.value_at_quantile(0.95) as f64 / MEMORY_SCALE,
                memory_mib_max: st.memory.max() as f64 / MEMORY_SCALE,
                cpu_load_p95: st.load.value_at_quantile(0.95) as f64 / LOAD_SCALE,
                samples: st.memory.len(),
                cpu_load_p50: (!st.load.is_empty()).then(|| st.load.value_at_quantile(0.50) as f64 / LOAD_SCALE),
                cpu_load_max: (!st.load.is_empty()).then(|| st.load.max() as f64 / LOAD_SCALE),
                cpu_samples: Some(st.load.len()),
                memory_quota_mib: st.quota_mib,
                r14_count: st.r14,
                r15_count: st.r15,
                requests: st.requests,
            });
            // Without a dyno size, request what was used: the quota (or p95 RSS) and the p95 load.
            let memory_mib =
                st.quota_mib.or_else(|| measured.as_ref().map(|m| m.memory_mib_p95)).unwrap_or(0.0).ceil() as u32;
            let cpu_millicores =
                measured.as_ref().map(|m| (m.cpu_load_p95 * 1000.0).ceil() as u32).unwrap_or(0).max(10);
            processes.push(Process {
                measured,
                hourly_replicas,
                hourly_requests_per_second,
                serves_http: Some(st.requests > 0 || name == "web"),
                origin: Some(Origin { file: file.into(), line: Some(st.first_line) }),
                ..Process::new(name, peak, cpu_millicores, memory_mib)
            });
        }
        let apps = if processes.is_empty() {
            vec![]
        } else {
            vec![App { name: app_name, source: format!("heroku-logs:{file}"), processes, addons: vec![] }]
        };
        Workloads { apps, warnings, ..Workloads::default() }
    }
}

fn note_dyno(st: &mut ProcessStats, index: Option<u32>, hour: Option<i64>) {
    let Some(index) = index else { return };
    st.dynos.insert(index);
    if let Some(h) = hour {
        st.dynos_by_hour.entry(h).or_default().insert(index);
    }
}

/// The value after `key` up to the next space, unquoted.
fn field<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let mut from = 0;
    loop {
        let at = from + text[from..].find(key)?;
        // `key` must start a token: at the line start or after a space.
        if at == 0 || text.as_bytes()[at - 1] == b' ' {
            let rest = &text[at + key.len()..];
            if let Some(quoted) = rest.strip_prefix('"') {
                return quoted.find('"').map(|e| &quoted[..e]);
            }
            return Some(rest.split(' ').next().unwrap_or(""));
        }
        from = at + key.len();
    }
}

/// `21.22MB` / `590M` / `1028MB` → MiB (Heroku's MB are MiB).
fn parse_mib(v: &str) -> Option<f64> {
    let number = v.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    number.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0)
}

/// `web.3` → (`web`, Some(3)); Fir `web.4ed720fa31-ur8z1` → (`web`, a stable hash of the suffix).
fn split_dyno(dyno: &str) -> (&str, Option<u32>) {
    match dyno.split_once('.') {
        Some((t, rest)) => {
            let index = rest.parse::<u32>().ok().or_else(|| {
                Some(rest.bytes().fold(2_166_136_261u32, |h, b| (h ^ u32::from(b)).wrapping_mul(16_777_619)))
            });
            (t, index)
        }
        None => (dyno, None),
    }
}

/// The dyno of an R14/R15 line: `heroku[web.1]:`, `heroku/web.1:` or drain `heroku web.1 -`.
fn error_dyno(text: &str) -> Option<&str> {
    if let Some(i) = text.find("heroku[") {
        let rest = &text[i + 7..];
        return rest.find(']').map(|e| &rest[..e]);
    }
    if let Some(i) = text.find("heroku/") {
        let rest = &text[i + 7..];
        return rest.find(':').map(|e| &rest[..e]);
    }
    if let Some(i) = text.find(" heroku ") {
        let rest = &text[i + 8..];
        return rest.split(' ').next();
    }
    None
}

/// Hours since 1970 (UTC) of the line's RFC 3339 timestamp, looked for in its first 64 bytes.
fn absolute_hour(text: &str) -> Option<i64> {
    let head = &text.as_bytes()[..text.len().min(64)];
    let t = memchr::memchr(b'T', head)?;
    if t < 10 {
        return None;
    }
    let date = std::str::from_utf8(&head[t - 10..t]).ok()?;
    let days = tco_engine::age::days_from_civil(date)?;
    let hh: i64 = std::str::from_utf8(head.get(t + 1..t + 3)?).ok()?.parse().ok()?;
    // The offset: `+00:00`, `-05:00` or `Z` after the seconds and fraction.
    let after = &head[t + 3..];
    let sign_at = after.iter().position(|b| *b == b'+' || *b == b'-' || *b == b'Z')?;
    let offset_hours: i64 = match after[sign_at] {
        b'Z' => 0,
        s => {
            let h: i64 = std::str::from_utf8(after.get(sign_at + 1..sign_at + 3)?).ok()?.parse().ok()?;
            if s == b'+' {
                h
            } else {
                -h
            }
        }
    };
    Some(days * 24 + hh - offset_hours)
}

/// 0 = Monday 00:00 UTC … 167 = Sunday 23:00.
fn hour_of_week(absolute_hour: i64) -> usize {
    // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
    let days = absolute_hour.div_euclid(24);
    let weekday = (days + 3).rem_euclid(7);
    (weekday * 24 + absolute_hour.rem_euclid(24)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    fn run(text: &str) -> Workloads {
        let a = Assumptions::default();
        let ctx = Context { catalog: tco_pricing_data::embedded(), assumptions: &a, app: Some("clinic") };
        import("app.log", text.as_bytes(), ctx, &mut |_| {}).unwrap()
    }

    const LOG: &str = "\
2024-05-13T10:20:01.123456+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.a sample#memory_total=300.00MB sample#memory_rss=300.00MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=1pages sample#memory_pgpgout=1pages sample#memory_quota=1024.00MB
2024-05-13T10:20:02.123456+00:00 heroku[web.2]: source=web.2 dyno=heroku.1.b sample#memory_total=500.00MB sample#memory_rss=500.00MB sample#memory_quota=1024.00MB
2024-05-13T10:20:03.000000+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.a sample#load_avg_1m=0.50 sample#load_avg_5m=0.40 sample#load_avg_15m=0.30
2024-05-13T10:20:04.000000+00:00 heroku[web.2]: source=web.2 dyno=heroku.1.b sample#load_avg_1m=1.50 sample#load_avg_5m=1.40
2024-05-13T10:20:05.000000+00:00 app[web.1]: Started GET /
2024-05-13T10:20:05.100000+00:00 heroku[router]: at=info method=GET path=\"/\" host=x.herokuapp.com request_id=1 fwd=\"1.2.3.4\" dyno=web.1 connect=0ms service=14ms status=200 bytes=1520 protocol=https
2024-05-13T10:20:06.100000+00:00 heroku[router]: at=info method=GET path=\"/a\" host=x.herokuapp.com request_id=2 fwd=\"1.2.3.4\" dyno=web.2 connect=0ms service=14ms status=200 bytes=1520 protocol=https
2024-05-13T11:20:06.100000+00:00 heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=/ host=x request_id=3 fwd=\"1.2.3.4\" dyno=web.1 connect= service=30000ms status=503 bytes=0 protocol=http
2024-05-13T11:30:00+00:00 heroku[worker.1]: source=worker.1 dyno=heroku.2.c sample#memory_total=1100.00MB sample#memory_rss=1000.00MB sample#memory_swap=100.00MB sample#memory_quota=1024.00MB
2024-05-13T11:30:01+00:00 heroku[worker.1]: Process running mem=1100M(107.4%)
2024-05-13T11:30:01+00:00 heroku[worker.1]: Error R14 (Memory quota exceeded)
334 <45>1 2024-05-13T11:31:01.581780+00:00 host heroku worker.1 - source=worker.1 dyno=heroku.2.c sample#memory_total=154.85MB sample#memory_rss=139.79MB sample#memory_quota=1024.00MB
Nov 21 14:14:58 clinic heroku/worker.1: Error R15 (Memory quota vastly exceeded)
2024-05-13T11:40:00+00:00 heroku[web.1]: source=web.1 dyno=heroku.1.a sample#memory_rss=abcMB sample#memory_quota=1024.00MB
";

    #[test]
    fn derives_percentiles_errors_and_requests_per_process_type() {
        let w = run(LOG);
        assert_eq!(w.apps.len(), 1);
        assert_eq!(w.apps[0].name, "clinic");
        let web = &w.apps[0].processes[0];
        assert_eq!(web.name, "web");
        assert_eq!(web.replicas, 2, "two web dynos seen in one hour");
        let m = web.measured.as_ref().unwrap();
        // RSS samples 300 and 500 MiB: p50 300, p95 and max 500, within the histograms' 0.1%
        let close = |got: f64, want: f64| (got - want).abs() <= want * 0.001;
        assert!(
            close(m.memory_mib_p50, 300.0) && close(m.memory_mib_p95, 500.0) && close(m.memory_mib_max, 500.0),
            "{m:?}"
        );
        assert_eq!(m.samples, 2);
        assert!(close(m.cpu_load_p50.unwrap(), 0.5) && close(m.cpu_load_p95, 1.5), "{m:?}");
        assert_eq!(m.requests, 3);
        assert_eq!(m.memory_quota_mib, Some(1024.0));
        assert_eq!(web.memory_mib, 1024);
        assert_eq!(web.cpu_millicores, 1500, "p95 load 1.5 runnable tasks → 1500 m");
        assert_eq!(web.serves_http, Some(true));

        let worker = &w.apps[0].processes[1];
        let wm = worker.measured.as_ref().unwrap();
        assert_eq!((wm.r14_count, wm.r15_count), (1, 1));
        assert_eq!(wm.samples, 2, "the drain-framed line counts too");
        assert_eq!(worker.serves_http, Some(false));
    }

    #[test]
    fn builds_a_weekly_profile_from_timestamps() {
        let w = run(LOG);
        let web = &w.apps[0].processes[0];
        let profile = web.hourly_replicas.as_ref().unwrap();
        assert_eq!(profile.len(), 168);
        // 2024-05-13 was a Monday: 10:00 is hour 10 of the week, 11:00 hour 11.
        assert_eq!((profile[10], profile[11]), (2, 1));
        assert_eq!(profile[100], 2, "unseen hours assume the peak");
        let rps = web.hourly_requests_per_second.as_ref().unwrap();
        assert!((rps[10] - 2.0 / 3600.0).abs() < 1e-12);
        assert!(w.warnings.iter().any(|x| x.message.contains("covers 2 of the 168 hours")), "{:?}", w.warnings);
    }

    #[test]
    fn bad_lines_are_skipped_and_counted_with_reasons() {
        let w = run(LOG);
        let skipped: Vec<&str> = w.warnings.iter().filter(|x| x.line.is_some()).map(|x| x.message.as_str()).collect();
        assert_eq!(skipped, vec!["1 line(s) skipped: malformed sample# value (first at line 14)"]);
    }

    #[test]
    fn enormous_lines_and_invalid_utf8_do_not_stop_the_import() {
        let mut text = Vec::new();
        text.extend_from_slice(b"2024-05-13T10:00:00+00:00 heroku[web.1]: source=web.1 sample#memory_rss=");
        text.extend(std::iter::repeat_n(b'9', 200_000));
        text.extend_from_slice(
            b"MB\n2024-05-13T10:00:01+00:00 heroku[web.1]: source=web.1 sample#memory_rss=\xff10MB\n",
        );
        text.extend_from_slice(b"2024-05-13T10:00:02+00:00 heroku[web.1]: source=web.1 sample#memory_rss=10.00MB\n");
        let a = Assumptions::default();
        let ctx = Context { catalog: tco_pricing_data::embedded(), assumptions: &a, app: None };
        // A tiny buffer makes lines span reads.
        let reader = std::io::BufReader::with_capacity(17, &text[..]);
        let w = import("x.log", reader, ctx, &mut |_| {}).unwrap();
        let m = w.apps[0].processes[0].measured.as_ref().unwrap();
        assert_eq!(m.samples, 1);
        let reasons: Vec<&str> = w.warnings.iter().filter(|x| x.line.is_some()).map(|x| x.message.as_str()).collect();
        assert!(reasons.iter().any(|r| r.contains("longer than 64 KiB")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("not UTF-8")), "{reasons:?}");
        assert_eq!(w.apps[0].name, "x");
    }

    #[test]
    fn a_log_without_metrics_says_so() {
        let w = run("2024-05-13T10:00:00+00:00 app[web.1]: hello\n");
        assert!(w.apps.is_empty());
        assert!(w.warnings[0].message.contains("no runtime metrics"));
    }

    #[test]
    fn timestamps_with_offsets_are_utc_hours() {
        assert_eq!(absolute_hour("2024-05-13T10:20:01.1+00:00 x"), absolute_hour("2024-05-13T05:20:01-05:00 x"));
        assert_eq!(absolute_hour("1970-01-01T01:00:00Z"), Some(1));
        assert_eq!(hour_of_week(0), 3 * 24, "1970-01-01 00:00 was a Thursday");
        assert_eq!(absolute_hour("Nov 21 14:14:58 host"), None);
    }
}
