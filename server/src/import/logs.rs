//! Heroku logs: `heroku logs` output or a log drain (syslog framing), streamed in bounded
//! memory. From runtime metrics (`sample#memory_rss`, `sample#load_avg_1m`), router lines and
//! R14/R15 errors it derives, per process type: memory and load percentiles, error counts, and
//! an hourly profile of dynos in use and requests per second over a week.
//!
//! The log is read in chunks that end on line boundaries, and the chunks are scanned on every
//! core: each worker keeps its own statistics and they are merged at the end, so the result is
//! the same whatever the chunking (line numbers are resolved once every chunk's line count is
//! known). A multi-pattern search finds the lines that can matter; the others are only counted.
//!
//! Memory depends on the number of process types, dynos and hours the log covers and on the
//! chunks in flight, never on the log's size: percentiles come from the exact samples while a
//! type has few, and from an HDR histogram beyond that.

use super::{warning, Context, ImportError};
use aho_corasick::{AhoCorasick, Input, MatchKind};
use hdrhistogram::Histogram;
use memchr::memmem::Finder;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use tco_engine::workload::{App, Measured, Origin, Process, Warning, HOURS_PER_WEEK};
use tco_engine::Workloads;

/// Lines longer than this are skipped (and counted), so one enormous line cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// The size of a chunk handed to a worker (plus the rest of its last line).
const CHUNK_BYTES: usize = 4 << 20;

/// Chunks queued per worker: what bounds memory beyond the statistics.
const QUEUED_PER_WORKER: usize = 2;

/// Memory is recorded in hundredths of a MiB, load in thousandths.
const MEMORY_SCALE: f64 = 100.0;
const LOAD_SCALE: f64 = 1000.0;

/// Samples kept exactly before a type's percentiles move to a histogram.
const EXACT_SAMPLES: usize = 64;

/// Where a line is: (chunk, line within the chunk), both counting from the start. Ordered the
/// way the lines are in the file.
type Pos = (u64, u64);

/// A percentile source: the exact samples while there are few (a log with thousands of process
/// types seen a few times each stays small), an HDR histogram (three significant figures) once
/// there are many. Which one depends only on the total count, so chunking changes nothing.
#[derive(Default)]
struct Samples {
    exact: Vec<u64>,
    hist: Option<Box<Histogram<u64>>>,
}

impl Samples {
    fn record(&mut self, v: u64) {
        match &mut self.hist {
            Some(h) => {
                let _ = h.record(v);
            }
            None if self.exact.len() < EXACT_SAMPLES => self.exact.push(v),
            None => {
                self.promote();
                let _ = self.hist.as_mut().expect("just promoted").record(v);
            }
        }
    }

    fn promote(&mut self) {
        let mut h = Histogram::new(3).expect("3 significant figures is valid");
        for v in self.exact.drain(..) {
            let _ = h.record(v);
        }
        self.exact = Vec::new();
        self.hist = Some(Box::new(h));
    }

    fn merge(&mut self, other: Samples) {
        if self.hist.is_none() && other.hist.is_none() && self.exact.len() + other.exact.len() <= EXACT_SAMPLES {
            self.exact.extend(other.exact);
            return;
        }
        if self.hist.is_none() {
            self.promote();
        }
        let h = self.hist.as_mut().expect("promoted");
        match other.hist {
            Some(o) => {
                let _ = h.add(&*o);
            }
            None => {
                for v in other.exact {
                    let _ = h.record(v);
                }
            }
        }
    }

    fn len(&self) -> u64 {
        self.hist.as_ref().map_or(self.exact.len() as u64, |h| h.len())
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The nearest-rank quantile (the histogram's highest equivalent value).
    fn quantile(&self, q: f64) -> u64 {
        if let Some(h) = &self.hist {
            return h.value_at_quantile(q);
        }
        let mut sorted = self.exact.clone();
        sorted.sort_unstable();
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
        sorted.get(rank - 1).copied().unwrap_or(0)
    }

    fn max(&self) -> u64 {
        self.hist.as_ref().map_or_else(|| self.exact.iter().copied().max().unwrap_or(0), |h| h.max())
    }
}

/// Per process type.
#[derive(Default)]
struct ProcessStats {
    memory: Samples,
    load: Samples,
    /// The last quota reported, and where.
    quota_mib: Option<(Pos, f64)>,
    r14: u64,
    r15: u64,
    requests: u64,
    first: Pos,
    /// Absolute hour → dynos seen in it.
    dynos_by_hour: HashMap<i64, BTreeSet<u32>>,
    /// Absolute hour → router requests in it.
    requests_by_hour: HashMap<i64, u64>,
    /// Every dyno seen, for logs without timestamps.
    dynos: BTreeSet<u32>,
}

impl ProcessStats {
    fn new(first: Pos) -> Self {
        ProcessStats { first, ..ProcessStats::default() }
    }

    fn merge(&mut self, other: ProcessStats) {
        self.memory.merge(other.memory);
        self.load.merge(other.load);
        self.quota_mib = match (self.quota_mib, other.quota_mib) {
            (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        self.r14 += other.r14;
        self.r15 += other.r15;
        self.requests += other.requests;
        self.first = self.first.min(other.first);
        for (h, d) in other.dynos_by_hour {
            self.dynos_by_hour.entry(h).or_default().extend(d);
        }
        for (h, n) in other.requests_by_hour {
            *self.requests_by_hour.entry(h).or_default() += n;
        }
        self.dynos.extend(other.dynos);
    }
}

/// What one worker found: statistics per process type, skipped lines by reason (count, first
/// place), and how many lines each chunk it scanned had.
#[derive(Default)]
struct Stats {
    types: HashMap<String, ProcessStats>,
    skipped: BTreeMap<&'static str, (u64, Pos)>,
    chunk_lines: Vec<(u64, u64)>,
    relevant: u64,
    /// A process type was refused: the file has more than the limit.
    over_limit: bool,
}

impl Stats {
    fn skip(&mut self, reason: &'static str, at: Pos) {
        let e = self.skipped.entry(reason).or_insert((0, at));
        e.0 += 1;
        e.1 = e.1.min(at);
    }

    fn merge(&mut self, other: Stats) {
        for (name, st) in other.types {
            match self.types.get_mut(&name) {
                Some(mine) => mine.merge(st),
                None => {
                    self.types.insert(name, st);
                }
            }
        }
        for (reason, (count, at)) in other.skipped {
            let e = self.skipped.entry(reason).or_insert((0, at));
            e.0 += count;
            e.1 = e.1.min(at);
        }
        self.chunk_lines.extend(other.chunk_lines);
        self.relevant += other.relevant;
        self.over_limit |= other.over_limit;
    }
}

/// The needles of the lines that can matter, and the per-line parser state.
struct Scanner {
    candidates: AhoCorasick,
    sample: Finder<'static>,
    router: Finder<'static>,
    router_drain: Finder<'static>,
    r14: Finder<'static>,
    r15: Finder<'static>,
    /// The `key=value` fields read, as prebuilt searches (the scan's hot path).
    keys: Keys,
    /// The most recent `YYYY-MM-DD` parsed and its day number: log lines come in date order.
    last_day: Option<([u8; 10], i64)>,
    /// Process types beyond this stop the import.
    max_types: usize,
}

impl Scanner {
    fn new(max_types: usize) -> Self {
        Scanner {
            candidates: AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(["sample#", "heroku[router]", " heroku router ", "Error R14", "Error R15"])
                .expect("fixed needles build"),
            sample: Finder::new(b"sample#"),
            router: Finder::new(b"heroku[router]"),
            router_drain: Finder::new(b" heroku router "),
            r14: Finder::new(b"Error R14"),
            r15: Finder::new(b"Error R15"),
            keys: Keys::new(),
            last_day: None,
            max_types,
        }
    }

    /// Scans one chunk: `long_before` lines too long to keep preceded its content; the content
    /// is whole lines (the last may lack its newline at the end of the file).
    fn chunk(&mut self, s: &mut Stats, index: u64, long_before: u64, bytes: &[u8]) {
        for l in 1..=long_before {
            s.skip("line longer than 64 KiB", (index, l));
        }
        let mut line = long_before;
        let mut start = 0;
        // The next place a needle starts, at or after `start`, and which needle it is.
        let mut next_hit = self.find_from(bytes, 0);
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
            line += 1;
            if end - start > MAX_LINE_BYTES {
                s.skip("line longer than 64 KiB", (index, line));
            } else if let Some((hit, needle)) = next_hit.filter(|(h, _)| *h < end) {
                self.line(s, (index, line), &bytes[start..end], hit - start, needle);
            }
            start = end + 1;
            if next_hit.is_some_and(|(h, _)| h < start) {
                next_hit = self.find_from(bytes, start);
            }
        }
        s.chunk_lines.push((index, line));
    }

    fn find_from(&self, bytes: &[u8], from: usize) -> Option<(usize, usize)> {
        if from >= bytes.len() {
            return None;
        }
        self.candidates.find(Input::new(bytes).range(from..)).map(|m| (m.start(), m.pattern().as_usize()))
    }

    fn stats<'s>(&self, s: &'s mut Stats, process_type: &str, at: Pos) -> Option<&'s mut ProcessStats> {
        if !s.types.contains_key(process_type) {
            if s.types.len() >= self.max_types {
                s.over_limit = true;
                return None;
            }
            s.types.insert(process_type.to_string(), ProcessStats::new(at));
        }
        s.types.get_mut(process_type)
    }

    /// A line in which needle `needle` (of the candidates, in their order) first starts at
    /// `offset`: no needle starts before it, so the others are looked for after it only.
    fn line(&mut self, s: &mut Stats, at: Pos, raw: &[u8], offset: usize, needle: usize) {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let rest = raw.get(offset..).unwrap_or_default();
        let is_sample = needle == 0 || self.sample.find(rest).is_some();
        let is_router = !is_sample
            && (needle == 1
                || needle == 2
                || self.router.find(rest).is_some()
                || self.router_drain.find(rest).is_some());
        let r14 = !is_sample && !is_router && (needle == 3 || self.r14.find(rest).is_some());
        let r15 = !is_sample && !is_router && !r14 && (needle == 4 || self.r15.find(rest).is_some());
        if !(is_sample || is_router || r14 || r15) {
            return;
        }
        s.relevant += 1;
        let Ok(text) = std::str::from_utf8(raw) else {
            s.skip("not UTF-8", at);
            return;
        };
        let hour = self.absolute_hour(text);
        if is_sample {
            self.runtime_metrics(s, at, text, hour);
        } else if is_router {
            self.router_line(s, at, text, hour);
        } else {
            let Some(dyno) = error_dyno(text) else {
                s.skip("R14/R15 line without a dyno name", at);
                return;
            };
            let (process_type, index) = split_dyno(dyno);
            let Some(st) = self.stats(s, process_type, at) else { return };
            if r14 {
                st.r14 += 1
            } else {
                st.r15 += 1
            }
            note_dyno(st, index, hour);
        }
    }

    fn runtime_metrics(&mut self, s: &mut Stats, at: Pos, text: &str, hour: Option<i64>) {
        let k = &self.keys;
        let Some(source) = k.source.get(text) else {
            s.skip("runtime metrics without source=", at);
            return;
        };
        let (process_type, index) = split_dyno(source);
        if process_type == "run" {
            return;
        }
        let rss = k.rss.get(text).map(parse_mib);
        let quota = k.quota.get(text).map(parse_mib);
        let load = k.load.get(text).map(|v| v.parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0));
        let bad = matches!(rss, Some(None)) || matches!(quota, Some(None)) || matches!(load, Some(None));
        if bad {
            s.skip("malformed sample# value", at);
            return;
        }
        let Some(st) = self.stats(s, process_type, at) else { return };
        if let Some(Some(mib)) = rss {
            st.memory.record((mib * MEMORY_SCALE).round() as u64);
        }
        if let Some(Some(q)) = quota {
            st.quota_mib = Some((at, q));
        }
        if let Some(Some(l)) = load {
            st.load.record((l * LOAD_SCALE).round() as u64);
        }
        note_dyno(st, index, hour);
    }

    fn router_line(&mut self, s: &mut Stats, at: Pos, text: &str, hour: Option<i64>) {
        let Some(dyno) = self.keys.dyno.get(text).filter(|d| !d.is_empty()) else {
            // Errors before a dyno was chosen (H10, H13 with no dyno) carry none.
            s.skip("router line without dyno=", at);
            return;
        };
        let (process_type, index) = split_dyno(dyno);
        let Some(st) = self.stats(s, process_type, at) else { return };
        st.requests += 1;
        if let Some(h) = hour {
            *st.requests_by_hour.entry(h).or_default() += 1;
        }
        note_dyno(st, index, hour);
    }

    /// Hours since 1970 (UTC) of the line's RFC 3339 timestamp, looked for in its first 64
    /// bytes; the date's day number is remembered, since lines come in date order.
    fn absolute_hour(&mut self, text: &str) -> Option<i64> {
        let (date, hh, offset_hours) = timestamp_parts(text)?;
        let days = match self.last_day {
            Some((d, days)) if d == date => days,
            _ => {
                let days = tco_engine::age::days_from_civil(std::str::from_utf8(&date).ok()?)?;
                self.last_day = Some((date, days));
                days
            }
        };
        Some(days * 24 + hh - offset_hours)
    }
}

/// Imports a log from any reader; `progress` gets the bytes read so far every few MiB.
pub fn import(
    file: &str,
    reader: impl BufRead,
    ctx: Context<'_>,
    progress: &mut dyn FnMut(u64),
) -> Result<Workloads, ImportError> {
    let max_types = ctx.limits.max_processes_per_file;
    let mut chunks = Chunker::new(reader);
    let first = chunks.next(file, progress)?;
    let stats = match first {
        // The whole log in one chunk: no threads.
        Some(job) if chunks.done => {
            let mut s = Stats::default();
            Scanner::new(max_types).chunk(&mut s, job.index, job.long_before, &job.bytes);
            s
        }
        None => Stats::default(),
        Some(job) => scan_in_parallel(file, job, &mut chunks, max_types, progress)?,
    };
    if stats.over_limit || stats.types.len() > max_types {
        return Err(ImportError::at(
            file,
            None,
            None,
            format!(
                "more than {max_types} process types in one file: the limit on process types per file \
                 (`--import-max-processes`, TCO_IMPORT_MAX_PROCESSES)"
            ),
        ));
    }
    progress(chunks.read);
    Ok(finish(stats, file, ctx))
}

/// A piece of the log for a worker.
struct Job {
    index: u64,
    long_before: u64,
    bytes: Vec<u8>,
}

/// Cuts a reader into chunks of whole lines, dropping lines over [`MAX_LINE_BYTES`] as it
/// meets them (they are counted in the next chunk's `long_before`).
struct Chunker<R> {
    reader: R,
    carry: Vec<u8>,
    /// Inside a line already too long: bytes are dropped until its newline.
    skipping: bool,
    long_before: u64,
    index: u64,
    read: u64,
    reported: u64,
    done: bool,
    /// Buffers handed back by the workers, to fill again.
    free: Option<mpsc::Receiver<Vec<u8>>>,
}

impl<R: BufRead> Chunker<R> {
    fn new(reader: R) -> Self {
        Chunker {
            reader,
            carry: Vec::new(),
            skipping: false,
            long_before: 0,
            index: 0,
            read: 0,
            reported: 0,
            done: false,
            free: None,
        }
    }

    fn buffer(&mut self) -> Vec<u8> {
        let mut b = self.free.as_ref().and_then(|f| f.try_recv().ok()).unwrap_or_default();
        b.clear();
        b.reserve(CHUNK_BYTES + MAX_LINE_BYTES);
        b
    }

    /// The next chunk, or `None` at the end.
    fn next(&mut self, file: &str, progress: &mut dyn FnMut(u64)) -> Result<Option<Job>, ImportError> {
        if self.done {
            return Ok(None);
        }
        let mut bytes = self.buffer();
        bytes.append(&mut self.carry);
        loop {
            let buf =
                self.reader.fill_buf().map_err(|e| ImportError::at(file, None, None, format!("cannot read: {e}")))?;
            if buf.is_empty() {
                self.done = true;
                if self.skipping {
                    self.long_before += 1;
                    self.skipping = false;
                }
                break;
            }
            let len = buf.len();
            if self.skipping {
                match memchr::memchr(b'\n', buf) {
                    Some(i) => {
                        self.reader.consume(i + 1);
                        self.read += (i + 1) as u64;
                        self.skipping = false;
                        self.long_before += 1;
                        continue;
                    }
                    None => {
                        self.reader.consume(len);
                        self.read += len as u64;
                        continue;
                    }
                }
            }
            let take = len.min(CHUNK_BYTES.saturating_sub(bytes.len()).max(1));
            bytes.extend_from_slice(&buf[..take]);
            self.reader.consume(take);
            self.read += take as u64;
            if self.read - self.reported >= 8 << 20 {
                progress(self.read);
                self.reported = self.read;
            }
            if bytes.len() < CHUNK_BYTES {
                continue;
            }
            match memchr::memrchr(b'\n', &bytes) {
                Some(i) => {
                    self.carry.extend_from_slice(&bytes[i + 1..]);
                    bytes.truncate(i + 1);
                    if self.carry.len() > MAX_LINE_BYTES {
                        self.carry.clear();
                        self.skipping = true;
                    }
                }
                None => {
                    // One line of a whole chunk: too long to keep.
                    bytes.clear();
                    self.skipping = true;
                    continue;
                }
            }
            break;
        }
        if bytes.is_empty() && self.long_before == 0 {
            return Ok(None);
        }
        let job = Job { index: self.index, long_before: std::mem::take(&mut self.long_before), bytes };
        self.index += 1;
        Ok(Some(job))
    }
}

/// Scans the chunks on every core: this thread reads, the workers scan, each into its own
/// statistics; the queue between them is bounded, so memory stays flat.
fn scan_in_parallel<R: BufRead>(
    file: &str,
    first: Job,
    chunks: &mut Chunker<R>,
    max_types: usize,
    progress: &mut dyn FnMut(u64),
) -> Result<Stats, ImportError> {
    let workers = super::workers();
    let (jobs, queue) = mpsc::sync_channel::<Job>(workers * QUEUED_PER_WORKER);
    let queue = Arc::new(Mutex::new(queue));
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
    chunks.free = Some(free_rx);
    let over = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let queue = Arc::clone(&queue);
                let free = free_tx.clone();
                let over = &over;
                scope.spawn(move || {
                    let mut scanner = Scanner::new(max_types);
                    let mut s = Stats::default();
                    loop {
                        let job = queue.lock().map(|q| q.recv());
                        let Ok(Ok(job)) = job else { break };
                        scanner.chunk(&mut s, job.index, job.long_before, &job.bytes);
                        if s.over_limit {
                            over.store(true, Ordering::Relaxed);
                        }
                        let _ = free.send(job.bytes);
                    }
                    s
                })
            })
            .collect();
        let mut result = Ok(());
        let mut next = Some(first);
        while let Some(job) = next {
            if jobs.send(job).is_err() || over.load(Ordering::Relaxed) {
                break;
            }
            match chunks.next(file, progress) {
                Ok(j) => next = j,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        drop(jobs);
        let mut all = Stats::default();
        for h in handles {
            all.merge(h.join().expect("a log worker does not panic"));
        }
        result.map(|()| all)
    })
}

/// Global line numbers from (chunk, line) places, once every chunk's count is known.
fn line_numbers(chunk_lines: &[(u64, u64)]) -> impl Fn(Pos) -> u64 + '_ {
    let mut before: Vec<(u64, u64)> = chunk_lines.to_vec();
    before.sort_unstable();
    let mut offsets: HashMap<u64, u64> = HashMap::with_capacity(before.len());
    let mut total = 0;
    for (index, lines) in before {
        offsets.insert(index, total);
        total += lines;
    }
    move |(chunk, line)| offsets.get(&chunk).copied().unwrap_or(0) + line
}

fn finish(stats: Stats, file: &str, ctx: Context<'_>) -> Workloads {
    let app_name = ctx.app_for(file);
    let line_of = line_numbers(&stats.chunk_lines);
    let total_lines: u64 = stats.chunk_lines.iter().map(|(_, n)| n).sum();
    let mut warnings: Vec<Warning> = Vec::new();
    for (reason, (count, first)) in &stats.skipped {
        let first = line_of(*first);
        warnings.push(warning(file, Some(first), format!("{count} line(s) skipped: {reason} (first at line {first})")));
    }
    if stats.relevant == 0 {
        warnings.push(warning(
            file,
            None,
            format!("no runtime metrics, router or R14/R15 lines among {total_lines} lines"),
        ));
    }
    let mut types: Vec<(String, ProcessStats)> = stats.types.into_iter().collect();
    types.sort_by_key(|(_, st)| st.first);
    let mut processes = Vec::with_capacity(types.len());
    for (name, st) in types {
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
        let quota_mib = st.quota_mib.map(|(_, q)| q);
        let measured = (!st.memory.is_empty() || !st.load.is_empty()).then(|| Measured {
            memory_mib_p50: st.memory.quantile(0.50) as f64 / MEMORY_SCALE,
            memory_mib_p95: st.memory.quantile(0.95) as f64 / MEMORY_SCALE,
            memory_mib_max: st.memory.max() as f64 / MEMORY_SCALE,
            cpu_load_p95: st.load.quantile(0.95) as f64 / LOAD_SCALE,
            samples: st.memory.len(),
            cpu_load_p50: (!st.load.is_empty()).then(|| st.load.quantile(0.50) as f64 / LOAD_SCALE),
            cpu_load_max: (!st.load.is_empty()).then(|| st.load.max() as f64 / LOAD_SCALE),
            cpu_samples: Some(st.load.len()),
            memory_quota_mib: quota_mib,
            r14_count: st.r14,
            r15_count: st.r15,
            requests: st.requests,
        });
        // Without a dyno size, request what was used: the quota (or p95 RSS) and the p95 load.
        let memory_mib = quota_mib.or_else(|| measured.as_ref().map(|m| m.memory_mib_p95)).unwrap_or(0.0).ceil() as u32;
        let cpu_millicores = measured.as_ref().map(|m| (m.cpu_load_p95 * 1000.0).ceil() as u32).unwrap_or(0).max(10);
        processes.push(Process {
            measured,
            hourly_replicas,
            hourly_requests_per_second,
            serves_http: Some(st.requests > 0 || name == "web"),
            origin: Some(Origin { file: file.into(), line: Some(line_of(st.first)) }),
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

fn note_dyno(st: &mut ProcessStats, index: Option<u32>, hour: Option<i64>) {
    let Some(index) = index else { return };
    st.dynos.insert(index);
    if let Some(h) = hour {
        st.dynos_by_hour.entry(h).or_default().insert(index);
    }
}

/// The `key=` fields the scanner reads.
struct Keys {
    source: Key,
    rss: Key,
    quota: Key,
    load: Key,
    dyno: Key,
}

impl Keys {
    fn new() -> Self {
        Keys {
            source: Key::new("source="),
            rss: Key::new("sample#memory_rss="),
            quota: Key::new("sample#memory_quota="),
            load: Key::new("sample#load_avg_1m="),
            dyno: Key::new("dyno="),
        }
    }
}

/// One `key=` of a log line, searched with a prebuilt SIMD finder.
struct Key {
    finder: Finder<'static>,
    len: usize,
}

impl Key {
    fn new(key: &'static str) -> Self {
        Key { finder: Finder::new(key.as_bytes()), len: key.len() }
    }

    /// The value after the key up to the next space, unquoted; the key must start a token (at
    /// the line's start or after a space).
    fn get<'t>(&self, text: &'t str) -> Option<&'t str> {
        let bytes = text.as_bytes();
        let mut from = 0;
        loop {
            let at = from + self.finder.find(&bytes[from..])?;
            if at == 0 || bytes[at - 1] == b' ' {
                let start = at + self.len;
                let rest = &bytes[start..];
                if rest.first() == Some(&b'"') {
                    let end = memchr::memchr(b'"', &rest[1..])?;
                    return Some(&text[start + 1..start + 1 + end]);
                }
                let end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
                return Some(&text[start..start + end]);
            }
            from = at + self.len;
        }
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

/// The date, hour and UTC offset of the line's RFC 3339 timestamp, looked for in its first 64
/// bytes.
fn timestamp_parts(text: &str) -> Option<([u8; 10], i64, i64)> {
    let head = &text.as_bytes()[..text.len().min(64)];
    let t = memchr::memchr(b'T', head)?;
    if t < 10 {
        return None;
    }
    let date: [u8; 10] = head[t - 10..t].try_into().ok()?;
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
    Some((date, hh, offset_hours))
}

/// Hours since 1970 (UTC) of the line's RFC 3339 timestamp.
#[cfg(test)]
fn absolute_hour(text: &str) -> Option<i64> {
    let (date, hh, offset) = timestamp_parts(text)?;
    let days = tco_engine::age::days_from_civil(std::str::from_utf8(&date).ok()?)?;
    Some(days * 24 + hh - offset)
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
        let ctx = Context { app: Some("clinic"), ..Context::new(tco_pricing_data::embedded(), &a) };
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
        // RSS samples 300 and 500 MiB: p50 300, p95 and max 500
        assert_eq!((m.memory_mib_p50, m.memory_mib_p95, m.memory_mib_max), (300.0, 500.0, 500.0), "{m:?}");
        assert_eq!(m.samples, 2);
        assert_eq!((m.cpu_load_p50, m.cpu_load_p95), (Some(0.5), 1.5), "{m:?}");
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
        let ctx = Context::new(tco_pricing_data::embedded(), &a);
        // A tiny buffer makes lines span reads.
        let reader = std::io::BufReader::with_capacity(17, &text[..]);
        let w = import("x.log", reader, ctx, &mut |_| {}).unwrap();
        let m = w.apps[0].processes[0].measured.as_ref().unwrap();
        assert_eq!(m.samples, 1);
        let reasons: Vec<&str> = w.warnings.iter().filter(|x| x.line.is_some()).map(|x| x.message.as_str()).collect();
        assert!(reasons.contains(&"1 line(s) skipped: line longer than 64 KiB (first at line 1)"), "{reasons:?}");
        assert!(reasons.contains(&"1 line(s) skipped: not UTF-8 (first at line 2)"), "{reasons:?}");
        assert_eq!(w.apps[0].name, "x");
    }

    /// A log of many chunks, scanned on several threads, gives what one pass over it gives:
    /// counts, percentiles past the exact-sample threshold, and line numbers across chunks.
    #[test]
    fn chunks_scanned_in_parallel_add_up_to_the_whole_log() {
        let mut text = String::new();
        let mut n = 0u64;
        while text.len() < 3 * CHUNK_BYTES {
            n += 1;
            let hour = (n / 100) % 24;
            text.push_str(&format!(
                "2024-05-13T{hour:02}:00:00+00:00 heroku[web.{}]: source=web.{} sample#memory_rss={}.00MB sample#load_avg_1m=0.{}\n",
                n % 4 + 1,
                n % 4 + 1,
                100 + n % 400,
                n % 10
            ));
            text.push_str("2024-05-13T10:00:00+00:00 app[web.1]: an application line that does not matter\n");
        }
        text.push_str("2024-05-13T10:00:00+00:00 heroku[web.1]: source=web.1 sample#memory_rss=bad\n");
        let w = run(&text);
        let m = w.apps[0].processes[0].measured.as_ref().unwrap();
        assert_eq!(m.samples, n);
        assert_eq!(w.apps[0].processes[0].replicas, 4);
        // memory cycles 100..499 MiB evenly: p50 ≈ 299 and max 499, within the histogram's 0.1%
        assert!((m.memory_mib_p50 - 299.0).abs() <= 0.3 && (m.memory_mib_max - 499.0).abs() <= 0.5, "{m:?}");
        let last = 2 * n + 1;
        let skipped: Vec<&str> = w.warnings.iter().filter(|x| x.line.is_some()).map(|x| x.message.as_str()).collect();
        assert_eq!(skipped, vec![format!("1 line(s) skipped: malformed sample# value (first at line {last})")]);
    }

    #[test]
    fn exact_samples_give_exact_percentiles_and_many_samples_a_histogram() {
        let mut few = Samples::default();
        for v in [5, 1, 4, 2, 3] {
            few.record(v);
        }
        assert_eq!((few.quantile(0.5), few.quantile(0.95), few.max(), few.len()), (3, 5, 5, 5));
        let (mut a, mut b) = (Samples::default(), Samples::default());
        for v in 1..=50 {
            a.record(v * 1000);
            b.record((v + 50) * 1000);
        }
        a.merge(b);
        assert!(a.hist.is_some(), "100 samples are past the exact threshold");
        assert_eq!(a.len(), 100);
        let p95 = a.quantile(0.95) as f64;
        assert!((p95 - 95_000.0).abs() <= 95.0, "{p95}");
    }

    #[test]
    fn a_log_without_metrics_says_so() {
        let w = run("2024-05-13T10:00:00+00:00 app[web.1]: hello\n");
        assert!(w.apps.is_empty());
        assert!(w.warnings[0].message.contains("no runtime metrics"));
    }

    #[test]
    fn too_many_process_types_stop_the_import_with_the_limit() {
        let a = Assumptions::default();
        let mut ctx = Context::new(tco_pricing_data::embedded(), &a);
        ctx.limits.max_processes_per_file = 3;
        let text: String = (0..5)
            .map(|i| format!("2024-05-13T10:00:00+00:00 heroku[router]: at=info dyno=p{i}.1 status=200\n"))
            .collect();
        let err = import("big.log", text.as_bytes(), ctx, &mut |_| {}).unwrap_err();
        assert!(err.message.starts_with("more than 3 process types in one file"), "{err}");
    }

    #[test]
    fn timestamps_with_offsets_are_utc_hours() {
        assert_eq!(absolute_hour("2024-05-13T10:20:01.1+00:00 x"), absolute_hour("2024-05-13T05:20:01-05:00 x"));
        assert_eq!(absolute_hour("1970-01-01T01:00:00Z"), Some(1));
        assert_eq!(hour_of_week(0), 3 * 24, "1970-01-01 00:00 was a Thursday");
        assert_eq!(absolute_hour("Nov 21 14:14:58 host"), None);
    }
}
