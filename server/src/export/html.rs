//! The report as a business case in one self-contained HTML file, for e-mail and archiving:
//! inline styles, inline SVG charts, no scripts and nothing fetched. Page 1 is the executive
//! summary; then the cost comparison, the cost of ownership over time, each option's cost lines
//! with their formulas, node plans and utilization, and at the end the assumptions and every
//! price with its source and date. Its print rules keep every card and table on one page, print
//! the charts in colour and number the pages with the catalog date in the footer (A4 and
//! Letter alike). Every figure is the report's, formatted by `tco_engine::format`.

use html_escape::encode_text as text;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;
use tco_engine::format::{node_plan, ratio_pct, usd};
use tco_engine::report::{CostGroup, CostLine, OptionEstimate};
use tco_engine::{Report, Usd};

/// The stylesheet: screen and print, one colour per cost group (the page's colours).
const STYLE: &str = include_str!("report.css");

/// The chart colours of the options' lines, in option order (the page's series colours).
const SERIES: [&str; 6] = ["#1f6feb", "#1a7f37", "#d4731a", "#b0368f", "#0a8a8a", "#8a6d00"];

/// The report of scenario `name` as an HTML document.
pub fn to_html(report: &Report, name: &str) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let title = if name.trim().is_empty() { "Cloud cost comparison".to_string() } else { name.to_string() };
    let footer = format!("Price catalog of {} · USD · {} hours a month", report.catalog_as_of, report.hours_per_month);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · cloud cost comparison</title><style>{STYLE}\n@page {{ @bottom-left {{ content: \"{}\"; }} }}</style></head><body>",
        text(&title),
        css_string(&footer)
    );
    let _ = write!(
        h,
        "<header class=\"head\"><h1>{}</h1><p class=\"muted\">Cloud cost comparison · {}</p></header><main>",
        text(&title),
        text(&footer)
    );
    summary(&mut h, report);
    comparison(&mut h, report);
    ownership(&mut h, report);
    for o in &report.options {
        option(&mut h, o);
    }
    appendix(&mut h, report);
    h.push_str("</main></body></html>\n");
    h
}

/// Page 1: today's bill, each option with its band, savings, break-even, the recommendation,
/// what moves the result most and what dominates the band.
fn summary(h: &mut String, r: &Report) {
    let horizon = r.options.first().map(|o| o.tco.months.len()).unwrap_or(0);
    let _ = write!(
        h,
        "<section class=\"card exec\" data-section=\"summary\"><h2>Executive summary</h2>\
         <p class=\"today\">Today's monthly bill: <strong data-figure=\"current\">{}</strong> a month</p>\
         <table class=\"options\"><thead><tr><th scope=\"col\">Option</th><th scope=\"col\" class=\"num\">Monthly cost</th>\
         <th scope=\"col\" class=\"num\">Low – high</th><th scope=\"col\" class=\"num\">Saves a month</th>\
         <th scope=\"col\" class=\"num\">Saves over {horizon} months</th><th scope=\"col\" class=\"num\">Break-even</th></tr></thead><tbody>",
        usd(r.current.monthly_usd)
    );
    for o in &r.options {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td class=\"num\" data-figure=\"{}\">{}</td><td class=\"num\">{} – {}</td>\
             <td class=\"num{}\">{}</td><td class=\"num{}\">{}</td><td class=\"num\">{}</td></tr>",
            text(&o.label),
            o.platform.as_str(),
            usd(o.monthly_usd),
            usd(o.band.low_usd),
            usd(o.band.high_usd),
            negative(o.savings_vs_current_usd),
            usd(o.savings_vs_current_usd),
            negative(o.tco.months_36.savings_usd),
            usd(o.tco.months_36.savings_usd),
            break_even(o.tco.break_even_month, horizon)
        );
    }
    h.push_str("</tbody></table>");
    if let Some(o) = r.best_option() {
        if o.tco.months_36.savings_usd > Usd::ZERO {
            let _ = write!(
                h,
                "<p class=\"recommend\" data-recommended=\"{}\">Recommended: <strong>{}</strong>, saving {} over 36 \
                 months with migration, parallel running and operations effort included ({} a month after \
                 operations effort).</p>",
                o.platform.as_str(),
                text(&o.label),
                usd(o.tco.months_36.savings_usd),
                usd(o.tco.monthly_savings_usd)
            );
        } else {
            let _ = write!(
                h,
                "<p class=\"recommend\" data-recommended=\"stay\">Recommended: <strong>stay on today's platform</strong>. \
                 No option saves money over 36 months once migration, parallel running and operations effort are \
                 counted; the nearest, {}, costs {} more.</p>",
                text(&o.label),
                usd(Usd::ZERO - o.tco.months_36.savings_usd)
            );
        }
        let top: String = o
            .sensitivity
            .iter()
            .take(3)
            .map(|s| {
                format!(
                    "<li>{} ({} to {}): savings move by {} a month</li>",
                    text(&s.assumption),
                    text(&s.at_low),
                    text(&s.at_high),
                    usd(s.swing_usd)
                )
            })
            .collect();
        let _ = write!(h, "<h3>What moves the result most ({})</h3><ol class=\"drivers\">{top}</ol>", text(&o.label));
        drivers(h, o);
    }
    h.push_str("</section>");
}

/// What dominates an option's band, widest first.
fn drivers(h: &mut String, o: &OptionEstimate) {
    let names: Vec<String> = o.band_drivers().take(3).map(|s| text(&s.assumption).into_owned()).collect();
    if !names.is_empty() {
        let _ = write!(
            h,
            "<p class=\"band-drivers\">{}'s band of {} – {} is dominated by: {}.</p>",
            text(&o.label),
            usd(o.band.low_usd),
            usd(o.band.high_usd),
            names.join("; ")
        );
    }
}

/// The cost comparison: a bar per platform on one scale, stacked by cost group.
fn comparison(h: &mut String, r: &Report) {
    let rows: Vec<(&str, Usd, &[CostLine])> =
        std::iter::once(("Today", r.current.monthly_usd, &r.current.breakdown[..]))
            .chain(r.options.iter().map(|o| (o.label.as_str(), o.monthly_usd, &o.breakdown[..])))
            .collect();
    let max = rows.iter().map(|(_, t, _)| f(*t)).fold(1.0, f64::max);
    let (label_w, bar_w, row_h) = (170.0, 430.0, 30.0);
    let height = row_h * rows.len() as f64 + 10.0;
    let _ = write!(
        h,
        "<section class=\"card\" data-section=\"comparison\"><h2>Cost comparison, USD a month</h2>\
         <svg class=\"chart\" viewBox=\"0 0 720 {height}\" role=\"img\" aria-label=\"Monthly cost of today's platform and each option, by cost group\">"
    );
    for (i, (label, total, lines)) in rows.iter().enumerate() {
        let y = 5.0 + row_h * i as f64;
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" class=\"label\">{}</text>",
            label_w - 8.0,
            y + 17.0,
            text(label)
        );
        let mut x = label_w;
        for g in CostGroup::ALL {
            let v: f64 = lines.iter().filter(|l| l.group == g).map(|l| f(l.monthly_usd)).sum();
            if v <= 0.0 {
                continue;
            }
            let w = v / max * bar_w;
            let _ = write!(
                h,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"22\" fill=\"{}\"><title>{}: {}</title></rect>",
                colour(g),
                g.label(),
                usd(Usd::new(rust_decimal::Decimal::from_f64_retain(v).unwrap_or_default()))
            );
            x += w;
        }
        let _ = write!(h, "<text x=\"{:.1}\" y=\"{:.1}\" class=\"value\">{}</text>", x + 6.0, y + 17.0, usd(*total));
    }
    h.push_str("</svg><ul class=\"legend\">");
    for g in CostGroup::ALL {
        if rows.iter().any(|(_, _, lines)| lines.iter().any(|l| l.group == g && l.monthly_usd > Usd::ZERO)) {
            let _ =
                write!(h, "<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>", colour(g), g.label());
        }
    }
    h.push_str("</ul></section>");
}

/// Cumulative cost of staying against each option, month by month, with break-even marked,
/// and the totals beside it.
fn ownership(h: &mut String, r: &Report) {
    let Some(first) = r.options.first() else { return };
    let months = first.tco.months.len().max(1) as f64;
    let highest = r
        .options
        .iter()
        .flat_map(|o| o.tco.months.iter().map(|m| f(m.current_usd).max(f(m.option_usd))))
        .fold(1.0, f64::max);
    // Four gridlines at a round step: 1, 2 or 5 times a power of ten.
    let power = 10f64.powf((highest / 4.0).log10().floor());
    let step =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| s * 4.0 >= highest).unwrap_or(10.0 * power);
    let max = step * 4.0;
    let (left, right, top, bottom, w, ht) = (70.0, 20.0, 10.0, 30.0, 720.0, 280.0);
    let x = |m: f64| left + m / months * (w - left - right);
    let y = |v: f64| ht - bottom - v / max * (ht - top - bottom);
    let _ = write!(
        h,
        "<section class=\"card\" data-section=\"ownership\"><h2>Cost of ownership over {} months, cumulative USD</h2>\
         <svg class=\"chart\" viewBox=\"0 0 {w} {ht}\" role=\"img\" aria-label=\"Cumulative cost of staying against each option\">",
        first.tco.months.len()
    );
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let _ = write!(
            h,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" class=\"tick\">{}</text>",
            w - right,
            y(v),
            y(v),
            left - 6.0,
            y(v) + 4.0,
            whole(Usd::new(rust_decimal::Decimal::from_f64_retain(v.round()).unwrap_or_default()))
        );
    }
    for m in (0..=first.tco.months.len()).step_by(6) {
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" class=\"tick\">{m}</text>",
            x(m as f64),
            ht - bottom + 16.0
        );
    }
    let line = |points: Vec<(f64, f64)>| {
        points.iter().map(|(m, v)| format!("{:.1},{:.1}", x(*m), y(*v))).collect::<Vec<_>>().join(" ")
    };
    let stay: Vec<(f64, f64)> = first.tco.months.iter().map(|m| (f64::from(m.month), f(m.current_usd))).collect();
    let _ = write!(h, "<polyline points=\"{}\" fill=\"none\" stroke=\"#6f42c1\" stroke-width=\"2.5\" stroke-dasharray=\"6 4\"><title>Stay on today's platform</title></polyline>", line(stay));
    for (i, o) in r.options.iter().enumerate() {
        let c = SERIES[i % SERIES.len()];
        let pts: Vec<(f64, f64)> = o.tco.months.iter().map(|m| (f64::from(m.month), f(m.option_usd))).collect();
        let _ = write!(
            h,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2.5\"><title>{}</title></polyline>",
            line(pts),
            text(&o.label)
        );
        if let Some(m) = o.tco.break_even_month {
            let px = x(f64::from(m));
            let _ = write!(
                h,
                "<line x1=\"{px:.1}\" x2=\"{px:.1}\" y1=\"{top}\" y2=\"{}\" stroke=\"{c}\" stroke-dasharray=\"3 3\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\">{}: month {m}</text>",
                ht - bottom,
                px + 4.0,
                top + 12.0 + 14.0 * i as f64,
                text(&o.label)
            );
        }
    }
    h.push_str("</svg><ul class=\"legend\"><li><span class=\"swatch\" style=\"background:#6f42c1\"></span>Stay on today's platform</li>");
    for (i, o) in r.options.iter().enumerate() {
        let _ = write!(
            h,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
            SERIES[i % SERIES.len()],
            text(&o.label)
        );
    }
    h.push_str("</ul><table class=\"totals\"><thead><tr><th scope=\"col\">Per option</th>");
    for o in &r.options {
        let _ = write!(h, "<th scope=\"col\" class=\"num\">{}</th>", text(&o.label));
    }
    h.push_str("</tr></thead><tbody>");
    let row = |h: &mut String, name: &str, cell: &dyn Fn(&OptionEstimate) -> String| {
        let _ = write!(h, "<tr><th scope=\"row\">{name}</th>");
        for o in &r.options {
            let _ = write!(h, "<td class=\"num\">{}</td>", cell(o));
        }
        h.push_str("</tr>");
    };
    row(h, "One-time migration", &|o| usd(o.tco.one_time_usd));
    row(h, "Parallel run", &|o| usd(o.tco.parallel_run_usd));
    row(h, "Extra operations effort a month", &|o| usd(o.tco.ops_monthly_usd));
    row(h, "Savings a month after operations", &|o| usd(o.tco.monthly_savings_usd));
    row(h, "12 months saved", &|o| usd(o.tco.months_12.savings_usd));
    row(h, "36 months saved", &|o| usd(o.tco.months_36.savings_usd));
    row(h, "Commitments paid upfront", &|o| usd(o.upfront_usd));
    h.push_str("</tbody></table></section>");
}

/// One option: its cost lines with formulas, its node plan and utilization.
fn option(h: &mut String, o: &OptionEstimate) {
    let _ = write!(
        h,
        "<section class=\"card\" data-section=\"option-{}\"><h2>{} · {}</h2>\
         <p><strong>{}</strong> a month, {} (low {} · high {}); {}</p>\
         <table class=\"lines\"><thead><tr><th scope=\"col\">Cost line</th><th scope=\"col\" class=\"num\">USD a month</th><th scope=\"col\">How</th></tr></thead><tbody>",
        o.platform.as_str(),
        text(&o.label),
        text(&o.region),
        usd(o.monthly_usd),
        text(o.pricing_model.label()),
        usd(o.band.low_usd),
        usd(o.band.high_usd),
        text(&savings(o))
    );
    for l in &o.breakdown {
        let _ = write!(
            h,
            "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td class=\"num\">{}</td><td class=\"formula\">{}</td></tr>",
            colour(l.group),
            text(&l.category),
            usd(l.monthly_usd),
            text(l.formula.as_deref().unwrap_or(""))
        );
    }
    let _ = write!(
        h,
        "<tr class=\"total\"><th scope=\"row\">Total</th><td class=\"num\">{}</td><td></td></tr></tbody></table>",
        usd(o.monthly_usd)
    );
    if !o.nodes.is_empty() {
        let zones = o.availability_zones as usize;
        h.push_str("<table class=\"plan\"><thead><tr><th scope=\"col\">Node pool</th><th scope=\"col\" class=\"num\">USD an hour</th>");
        for z in 0..zones {
            let _ = write!(h, "<th scope=\"col\" class=\"num\">zone {}</th>", (b'a' + (z % 26) as u8) as char);
        }
        h.push_str("<th scope=\"col\" class=\"num\">Nodes</th></tr></thead><tbody>");
        for n in &o.nodes {
            let _ = write!(
                h,
                "<tr><td>{}{}{}</td><td class=\"num\">${}</td>",
                text(&n.instance_type),
                if n.spot { " (spot)" } else { "" },
                n.serves.as_deref().map(|s| format!(" for {}", text(s))).unwrap_or_default(),
                n.usd_per_hour.normalize()
            );
            for z in 0..zones {
                let _ = write!(h, "<td class=\"num\">{}</td>", n.per_zone.get(z).copied().unwrap_or(0));
            }
            let _ = write!(h, "<td class=\"num\">{}</td></tr>", n.count);
        }
        let _ = write!(h, "</tbody></table><p class=\"muted\">Plan: {}.</p>", text(&node_plan(&o.nodes)));
    }
    if !o.fargate_tasks.is_empty() {
        h.push_str("<table class=\"plan\"><thead><tr><th scope=\"col\">Process</th><th scope=\"col\" class=\"num\">Task size</th><th scope=\"col\" class=\"num\">Tasks</th><th scope=\"col\" class=\"num\">USD a task-hour</th></tr></thead><tbody>");
        for t in &o.fargate_tasks {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\">{} vCPU · {} GiB</td><td class=\"num\">{}</td><td class=\"num\">${}</td></tr>",
                text(&t.process),
                f64::from(t.cpu_millicores) / 1000.0,
                f64::from(t.memory_mib) / 1024.0,
                t.tasks,
                t.usd_per_task_hour.round_dp(6).normalize()
            );
        }
        h.push_str("</tbody></table>");
    }
    let _ = write!(
        h,
        "<p class=\"muted\">Utilization: CPU {} and memory {} requested of {}.{}</p>",
        ratio_pct(o.utilization.cpu),
        ratio_pct(o.utilization.memory),
        if o.platform.is_fargate() { "the task sizes" } else { "what the nodes offer" },
        match (o.lower_bound_monthly_usd, o.gap_to_lower_bound_pct) {
            (Some(b), Some(g)) =>
                format!(" No plan can cost less than {} a month on demand; this one is {g:.1}% above it.", usd(b)),
            _ => String::new(),
        }
    );
    h.push_str("</section>");
}

/// The assumptions, the band's basis, the uncertain figures and every price with its source.
fn appendix(h: &mut String, r: &Report) {
    let a = &r.assumptions;
    let _ = write!(
        h,
        "<section class=\"card\" data-section=\"assumptions\"><h2>Assumptions</h2><table class=\"kv\"><tbody>\
         <tr><th scope=\"row\">Region, zones</th><td>{}, {} availability zones</td></tr>\
         <tr><th scope=\"row\">Pricing model</th><td>{}</td></tr>\
         <tr><th scope=\"row\">Headroom</th><td>nodes filled to {}%</td></tr>\
         <tr><th scope=\"row\">CPU per Heroku compute unit</th><td>{} m</td></tr>\
         <tr><th scope=\"row\">Instance types</th><td>{}</td></tr>\
         <tr><th scope=\"row\">Migration</th><td>{} engineer-weeks at {} each, {} month(s) of parallel running</td></tr>\
         <tr><th scope=\"row\">Operations effort</th><td>{} of an engineer at {} a year</td></tr></tbody></table>",
        text(&a.region),
        a.availability_zones,
        text(a.pricing.label()),
        (a.headroom.get() * 100.0).round(),
        a.millicores_per_compute_unit,
        text(&a.instance_types.join(", ")),
        a.people.migration_engineer_weeks.normalize(),
        whole(Usd::new(a.people.engineer_week_usd)),
        a.people.parallel_run_months,
        a.people.ops_engineer_fraction.normalize(),
        whole(Usd::new(a.people.engineer_year_usd))
    );
    if let Some(o) = r.options.first() {
        if !o.band.basis.is_empty() {
            let _ = write!(
                h,
                "<h3>What the low–high band varies</h3><ul>{}</ul>",
                o.band.basis.iter().map(|b| format!("<li>{}</li>", text(b))).collect::<String>()
            );
        }
    }
    if !r.uncertain.is_empty() {
        h.push_str("<h3>Labelled assumptions and their ranges</h3><table class=\"sources\"><thead><tr><th scope=\"col\">Assumption</th><th scope=\"col\" class=\"num\">Value</th><th scope=\"col\" class=\"num\">Range</th><th scope=\"col\">Why</th><th scope=\"col\">As of</th></tr></thead><tbody>");
        for u in &r.uncertain {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\">{} {}</td><td class=\"num\">{}–{}</td><td>{}</td><td>{}</td></tr>",
                text(&u.description),
                u.value.normalize(),
                text(&u.unit),
                u.low.normalize(),
                u.high.normalize(),
                text(&u.source),
                text(&u.as_of)
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>");
    let _ = write!(
        h,
        "<section class=\"card\" data-section=\"sources\"><h2>Every price, with its source and date</h2><table class=\"sources\"><thead><tr><th scope=\"col\">Price</th><th scope=\"col\" class=\"num\">USD</th><th scope=\"col\">Unit</th><th scope=\"col\">Source</th><th scope=\"col\">As of</th></tr></thead><tbody>"
    );
    for s in &r.sources {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            text(&s.item),
            s.usd.normalize(),
            text(&s.unit),
            text(&s.source),
            text(&s.as_of)
        );
    }
    let _ = write!(
        h,
        "</tbody></table><p class=\"muted\">Price catalog of {}; its oldest price is of {}.</p>",
        text(&r.catalog_as_of),
        text(&r.oldest_price_as_of)
    );
    for w in &r.warnings {
        let _ = write!(h, "<p class=\"warning\">{}</p>", text(w));
    }
    h.push_str("</section>");
}

/// `Saves $1,234.56 a month (37.4%)`, or what it costs more.
fn savings(o: &OptionEstimate) -> String {
    let pct = o.savings_vs_current_pct.map(|p| format!(" ({p:.1}%)")).unwrap_or_default();
    if o.savings_vs_current_usd.amount().is_sign_negative() {
        format!("costs {} a month more than today{pct}", usd(Usd::ZERO - o.savings_vs_current_usd))
    } else {
        format!("saves {} a month against today{pct}", usd(o.savings_vs_current_usd))
    }
}

fn break_even(month: Option<u32>, horizon: usize) -> String {
    match month {
        Some(m) => format!("month {m}"),
        None => format!("not within {horizon} months"),
    }
}

/// ` negative` for a figure below zero, so it prints in red.
fn negative(u: Usd) -> &'static str {
    if u.amount().is_sign_negative() {
        " negative"
    } else {
        ""
    }
}

/// Whole dollars, e.g. `$12,000`, for axis ticks and round figures.
fn whole(u: Usd) -> String {
    let s = usd(u);
    s.strip_suffix(".00").map(str::to_string).unwrap_or(s)
}

fn f(u: Usd) -> f64 {
    u.amount().to_f64().unwrap_or(0.0)
}

/// The colour of a cost group, as the page draws it.
fn colour(g: CostGroup) -> &'static str {
    match g {
        CostGroup::Current => "#6f42c1",
        CostGroup::Compute => "#1f6feb",
        CostGroup::Platform => "#0a8a8a",
        CostGroup::Networking => "#d4731a",
        CostGroup::Storage => "#8a6d00",
        CostGroup::Observability => "#b0368f",
        CostGroup::Security => "#c0392b",
        CostGroup::Support => "#5b6578",
        CostGroup::AddOns => "#2e7d32",
    }
}

/// A CSS string's content: quotes and backslashes escaped, no line breaks, no closing tag.
fn css_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace(['\n', '\r'], " ").replace('<', "\\3c ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        let catalog = tco_pricing_data::embedded();
        let scenario = crate::sample::scenario(catalog).unwrap();
        tco_engine::estimate(&scenario, catalog).unwrap()
    }

    #[test]
    fn the_file_is_self_contained_no_script_and_nothing_fetched() {
        let html = to_html(&sample(), "Sample <account>");
        assert!(html.starts_with("<!doctype html>"));
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "no script");
        for fetched in ["http://", "https://", "src=", "<link", "@import", "url("] {
            assert!(!lower.contains(fetched), "the file fetches nothing, but has `{fetched}`");
        }
        // Text is escaped: a name cannot open a tag.
        assert!(html.contains("Sample &lt;account&gt;") && !html.contains("<account>"));
        // Inline charts, and print rules with the page footer.
        assert_eq!(html.matches("<svg").count(), 2);
        assert!(html.contains("@media print") && html.contains("counter(page)"));
    }

    #[test]
    fn page_one_has_todays_bill_every_option_with_its_band_and_the_recommendation() {
        let r = sample();
        let html = to_html(&r, "Sample");
        let summary =
            &html[html.find("data-section=\"summary\"").unwrap()..html.find("data-section=\"comparison\"").unwrap()];
        assert!(summary.contains(&usd(r.current.monthly_usd)), "today's bill");
        for o in &r.options {
            assert!(
                summary.contains(&format!("data-figure=\"{}\">{}<", o.platform.as_str(), usd(o.monthly_usd))),
                "{}",
                o.label
            );
            assert!(
                summary.contains(&format!("{} – {}", usd(o.band.low_usd), usd(o.band.high_usd))),
                "{}'s band",
                o.label
            );
            assert!(summary.contains(&usd(o.tco.months_36.savings_usd)));
        }
        // On the sample, operations effort outweighs every option's savings: staying is
        // recommended, and the nearest option is explained.
        let best = r.best_option().unwrap();
        assert!(best.tco.months_36.savings_usd < Usd::ZERO);
        assert!(r.options.iter().all(|o| o.tco.months_36.savings_usd <= best.tco.months_36.savings_usd));
        assert!(summary.contains("data-recommended=\"stay\""));
        assert!(summary.contains(&format!("the nearest, {}, costs", best.label)));
        for s in best.sensitivity.iter().take(3) {
            assert!(summary.contains(&text(&s.assumption).into_owned()), "names {}", s.assumption);
        }
        let driver = best.band_drivers().next().expect("the sample's band has a driver");
        assert!(summary.contains("is dominated by: ") && summary.contains(&text(&driver.assumption).into_owned()));
    }

    #[test]
    fn every_cost_line_and_every_price_appears_with_its_figure() {
        let r = sample();
        let html = to_html(&r, "Sample");
        for o in &r.options {
            for l in &o.breakdown {
                assert!(
                    html.contains(&format!("{}</td><td class=\"num\">{}</td>", text(&l.category), usd(l.monthly_usd))),
                    "{}",
                    l.category
                );
            }
        }
        for s in &r.sources {
            assert!(
                html.contains(&text(&s.item).into_owned()) && html.contains(&text(&s.source).into_owned()),
                "{}",
                s.item
            );
        }
    }
}
