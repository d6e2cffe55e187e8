//! AWS Cost and Usage Report CSV (legacy `lineItem/UnblendedCost` headers and CUR 2.0
//! `line_item_unblended_cost` alike; columns are found by name). The latest billing month
//! becomes today's AWS bill: EC2 instance-hours per instance, everything else per service.

use super::{costed, warning, Context, ImportError};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use tco_engine::workload::{Addon, App, Instance, Origin};
use tco_engine::{Usd, Workloads};

/// `lineItem/UnblendedCost` and `line_item_unblended_cost` both → `lineitemunblendedcost`.
fn key(header: &str) -> String {
    header.chars().filter(char::is_ascii_alphanumeric).flat_map(|c| c.to_lowercase()).collect()
}

/// Whether a header row is a CUR's.
pub fn is_cur_header(line: &str) -> bool {
    let k = key(line);
    k.contains("lineitemunblendedcost") && k.contains("lineitemproductcode")
}

struct Columns {
    cost: usize,
    product: usize,
    usage_type: Option<usize>,
    resource: Option<usize>,
    instance_type: Option<usize>,
    period: Option<usize>,
    usage_start: Option<usize>,
    line_type: Option<usize>,
}

/// Per service, and per instance for EC2 instance usage, for the latest month in the file.
pub fn import(file: &str, text: &str, _ctx: Context<'_>) -> Result<Workloads, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| ImportError::at(file, Some(1), None, e.to_string()))?.clone();
    let find = |name: &str| headers.iter().position(|h| key(h) == name);
    let need = |name: &str, shown: &str| {
        find(name).ok_or_else(|| ImportError::at(file, Some(1), Some(shown.into()), "missing column"))
    };
    let c = Columns {
        cost: need("lineitemunblendedcost", "lineItem/UnblendedCost")?,
        product: need("lineitemproductcode", "lineItem/ProductCode")?,
        usage_type: find("lineitemusagetype"),
        resource: find("lineitemresourceid"),
        instance_type: find("productinstancetype"),
        period: find("billbillingperiodstartdate"),
        usage_start: find("lineitemusagestartdate"),
        line_type: find("lineitemlineitemtype"),
    };
    // month → (service → cost, instance → (type, cost))
    type Month = (BTreeMap<String, Decimal>, BTreeMap<String, (String, Decimal)>);
    let mut months: BTreeMap<String, Month> = BTreeMap::new();
    let mut skipped = 0u64;
    let mut first_skipped = None;
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::at(file, e.position().map(|p| p.line()), None, e.to_string()))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
        let Ok(cost) = get(Some(c.cost)).trim().parse::<Decimal>() else {
            skipped += 1;
            first_skipped.get_or_insert(line);
            continue;
        };
        let date = if get(c.period).len() >= 7 { get(c.period) } else { get(c.usage_start) };
        let month = date.get(..7).unwrap_or("unknown").to_string();
        let entry = months.entry(month).or_default();
        let resource = get(c.resource);
        let is_instance_hours =
            get(c.usage_type).contains("BoxUsage") && resource.starts_with("i-") && get(c.line_type) != "Tax";
        if is_instance_hours {
            let e = entry
                .1
                .entry(resource.to_string())
                .or_insert_with(|| (get(c.instance_type).to_string(), Decimal::ZERO));
            e.1 += cost;
        } else {
            *entry.0.entry(get(Some(c.product)).to_string()).or_default() += cost;
        }
    }
    let mut w = Workloads::default();
    if skipped > 0 {
        w.warnings.push(warning(
            file,
            first_skipped,
            format!("{skipped} line(s) skipped: lineItem/UnblendedCost is not a number"),
        ));
    }
    let Some((month, (services, instances))) = months.into_iter().next_back() else {
        return Err(ImportError::at(file, None, None, "no cost lines"));
    };
    let addons = services
        .into_iter()
        .filter(|(_, cost)| !cost.is_zero())
        .map(|(service, cost)| Addon { name: service, plan: format!("CUR {month}"), monthly_usd: Usd::new(cost) })
        .collect();
    w.apps.push(App { name: "aws-bill".into(), source: format!("aws-cur:{file}"), processes: vec![], addons });
    for (id, (instance_type, cost)) in instances {
        w.instances.push(Instance {
            instance_type,
            state: "running".into(),
            monthly_usd: Some(Usd::new(cost)),
            origin: Some(Origin { file: file.into(), line: None }),
            ..Instance::new(id)
        });
    }
    w.warnings.push(warning(
        file,
        None,
        format!("billing month {month}: unblended cost, as billed (discounts and credits as their own lines)"),
    ));
    Ok(costed(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tco_engine::Assumptions;

    #[test]
    fn latest_month_by_service_and_instance() {
        let text = "identity/LineItemId,bill/BillingPeriodStartDate,lineItem/LineItemType,lineItem/UsageStartDate,lineItem/ProductCode,lineItem/UsageType,lineItem/ResourceId,lineItem/UsageAmount,lineItem/UnblendedCost,product/instanceType\n\
                    a,2024-04-01T00:00:00Z,Usage,2024-04-01T00:00:00Z,AmazonEC2,USE1-BoxUsage:c5.2xlarge,i-0aaa1111,720,244.80,c5.2xlarge\n\
                    b,2024-05-01T00:00:00Z,Usage,2024-05-01T00:00:00Z,AmazonEC2,USE1-BoxUsage:c5.2xlarge,i-0aaa1111,744,252.96,c5.2xlarge\n\
                    c,2024-05-01T00:00:00Z,Usage,2024-05-01T00:00:00Z,AmazonEC2,USE1-EBS:VolumeUsage.gp3,vol-1,100,8.00,\n\
                    d,2024-05-01T00:00:00Z,Usage,2024-05-01T00:00:00Z,AmazonRDS,USE1-InstanceUsage:db.m5.large,db-1,744,127.22,\n\
                    e,2024-05-01T00:00:00Z,Tax,2024-05-01T00:00:00Z,AmazonEC2,,,,n/a,\n";
        let a = Assumptions::default();
        let w = import("cur.csv", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        assert_eq!(w.instances.len(), 1);
        assert_eq!(w.instances[0].monthly_usd.unwrap().cents(), 25_296);
        let addons: Vec<(&str, i64)> =
            w.apps[0].addons.iter().map(|a| (a.name.as_str(), a.monthly_usd.cents())).collect();
        assert_eq!(addons, vec![("AmazonEC2", 800), ("AmazonRDS", 12_722)]);
        // 252.96 + 8.00 + 127.22 = 388.18
        assert_eq!(w.current_monthly_usd.cents(), 38_818);
        assert_eq!(w.warnings[0].line, Some(6));
    }

    #[test]
    fn cur_2_headers_are_found_by_name() {
        assert!(is_cur_header("bill_bill_type,line_item_product_code,line_item_unblended_cost"));
        let text = "line_item_product_code,line_item_unblended_cost,line_item_usage_start_date\nAmazonS3,1.50,2024-06-01T00:00:00Z\n";
        let a = Assumptions::default();
        let w = import("cur2.csv", text, Context::new(tco_pricing_data::embedded(), &a)).unwrap();
        assert_eq!(w.current_monthly_usd.cents(), 150);
    }

    #[test]
    fn a_missing_cost_column_is_named() {
        let a = Assumptions::default();
        let err =
            import("x.csv", "lineItem/ProductCode,foo\nAmazonEC2,1\n", Context::new(tco_pricing_data::embedded(), &a))
                .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("lineItem/UnblendedCost"));
    }
}
