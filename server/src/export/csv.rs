//! The breakdown as CSV: one row per cost line of the current platform and of each option,
//! plus each option's total, ready for a pivot table.

use super::ExportError;
use tco_engine::Report;

/// The CSV bytes: `option,platform,category,group,usd_per_month,formula,pricing_model,region`
/// (each option's `total` row per region is the regions matrix in long form).
pub fn to_csv(report: &Report) -> Result<Vec<u8>, ExportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(["option", "platform", "category", "group", "usd_per_month", "formula", "pricing_model", "region"])?;
    let current = format!("{} (today)", report.current.platform);
    for l in &report.current.breakdown {
        w.write_record([
            current.as_str(),
            report.current.platform.as_str(),
            &l.category,
            l.group.as_str(),
            &cents(l.monthly_usd),
            l.formula.as_deref().unwrap_or(""),
            "",
            "",
        ])?;
    }
    w.write_record([
        current.as_str(),
        &report.current.platform,
        "total",
        "",
        &cents(report.current.monthly_usd),
        "",
        "",
        "",
    ])?;
    for o in &report.options {
        let name = tco_engine::format::option_name(report, o);
        for l in &o.breakdown {
            w.write_record([
                name.as_str(),
                o.platform.as_str(),
                &l.category,
                l.group.as_str(),
                &cents(l.monthly_usd),
                l.formula.as_deref().unwrap_or(""),
                o.pricing_model.as_str(),
                &o.region,
            ])?;
        }
        w.write_record([
            name.as_str(),
            o.platform.as_str(),
            "total",
            "",
            &cents(o.monthly_usd),
            "",
            o.pricing_model.as_str(),
            &o.region,
        ])?;
    }
    w.flush().map_err(::csv::Error::from)?;
    Ok(w.into_inner().map_err(|e| ::csv::Error::from(e.into_error()))?)
}

/// USD rounded once to cents, written with two decimals and no separators.
fn cents(u: tco_engine::Usd) -> String {
    format!("{:.2}", u.rounded_to_cents())
}
