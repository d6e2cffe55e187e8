//! A report's monthly totals, and two reports' totals side by side: what re-pricing a saved
//! scenario (the server) and comparing two saved scenarios (the page) both show. Totals read
//! from a report's JSON take only the fields they need, so a report saved by an older version
//! reads too; amounts are the cents the report shows.

use crate::money::{signed, Usd};
use crate::report::Report;
use serde::Deserialize;

/// Today's total and each option's, as a report shows them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Totals {
    /// Today's bill.
    pub current: CurrentTotal,
    /// Each option, in the report's order.
    pub options: Vec<OptionTotal>,
}

/// Today's bill in a report.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CurrentTotal {
    /// The platform today, e.g. `heroku`.
    pub platform: String,
    /// USD a month, to the cent.
    pub monthly_usd: Usd,
}

/// One option's totals in a report.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OptionTotal {
    /// The target, e.g. `ecs-ec2` (text, so a report naming a target this version does not
    /// know still reads).
    pub platform: String,
    /// Its label.
    pub label: String,
    /// Its region (empty in a report saved before options named theirs).
    #[serde(default)]
    pub region: String,
    /// USD a month, to the cent.
    pub monthly_usd: Usd,
    /// Today's bill less this option's, USD a month (negative when it costs more).
    #[serde(deserialize_with = "signed")]
    pub savings_vs_current_usd: Usd,
}

/// An option's figures in one of two reports: monthly total and savings against today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    /// USD a month.
    pub monthly_usd: Usd,
    /// Savings against today, USD a month (zero for today itself).
    pub savings_usd: Usd,
}

/// One row of two reports' totals: today's bill (`option` is `current`), or an option matched
/// by its platform (and its region, for the regions after a report's first); a side is `None`
/// where that report has no such option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared {
    /// `current`, or the option's platform (`platform@region` beyond the first region).
    pub option: String,
    /// Today's platform, or the option's label.
    pub label: String,
    /// In the first report.
    pub before: Option<Figures>,
    /// In the second report.
    pub after: Option<Figures>,
}

impl Compared {
    /// After less before, USD a month, when both reports have the row.
    pub fn change_usd(&self) -> Option<Usd> {
        let (b, a) = (self.before?, self.after?);
        Some(Usd::new(a.monthly_usd.amount() - b.monthly_usd.amount()))
    }
}

impl Totals {
    /// A report's totals, to the cent as it shows them.
    pub fn of(report: &Report) -> Totals {
        let cents = |u: Usd| Usd::new(u.rounded_to_cents());
        Totals {
            current: CurrentTotal {
                platform: report.current.platform.clone(),
                monthly_usd: cents(report.current.monthly_usd),
            },
            options: report
                .options
                .iter()
                .map(|o| OptionTotal {
                    platform: o.platform.as_str().into(),
                    label: o.label.clone(),
                    region: o.region.clone(),
                    monthly_usd: cents(o.monthly_usd),
                    savings_vs_current_usd: cents(o.savings_vs_current_usd),
                })
                .collect(),
        }
    }

    /// Today's bill first, then every option of either report by platform: the first report's
    /// order, then the options only the second has.
    pub fn compare(&self, after: &Totals) -> Vec<Compared> {
        let today = |t: &Totals| Figures { monthly_usd: t.current.monthly_usd, savings_usd: Usd::ZERO };
        let mut rows = vec![Compared {
            option: "current".into(),
            label: self.current.platform.clone(),
            before: Some(today(self)),
            after: Some(today(after)),
        }];
        let figures = |t: &Totals, key: &str| {
            t.options
                .iter()
                .find(|o| t.key(o).0 == key)
                .map(|o| Figures { monthly_usd: o.monthly_usd, savings_usd: o.savings_vs_current_usd })
        };
        for (t, o) in self.options.iter().map(|o| (self, o)).chain(after.options.iter().map(|o| (after, o))) {
            let (key, label) = t.key(o);
            if rows.iter().any(|r| r.option == key) {
                continue;
            }
            rows.push(Compared { before: figures(self, &key), after: figures(after, &key), option: key, label });
        }
        rows
    }

    /// How an option is matched and named: its platform in the report's first region,
    /// `platform@region` (and the region in the label) in any other.
    fn key(&self, o: &OptionTotal) -> (String, String) {
        let first = self.options.first().map_or("", |f| f.region.as_str());
        if o.region.is_empty() || o.region == first {
            (o.platform.clone(), o.label.clone())
        } else {
            (format!("{}@{}", o.platform, o.region), format!("{}, {}", o.label, o.region))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn totals(current: &str, options: &[(&str, &str, &str)]) -> Totals {
        let usd = |s: &str| Usd::new(s.parse().unwrap());
        Totals {
            current: CurrentTotal { platform: "heroku".into(), monthly_usd: usd(current) },
            options: options
                .iter()
                .map(|(p, m, s)| {
                    let (platform, region) = p.split_once(' ').unwrap_or((p, "us-east-1"));
                    OptionTotal {
                        platform: platform.into(),
                        label: platform.to_uppercase(),
                        region: region.into(),
                        monthly_usd: usd(m),
                        savings_vs_current_usd: usd(s),
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn rows_match_options_by_platform_and_keep_those_only_one_report_has() {
        let before = totals("1000", &[("ecs-ec2", "600", "400"), ("eks-ec2", "700", "300")]);
        let after = totals("1000", &[("eks-ec2", "650.5", "349.5"), ("ecs-fargate", "1100", "-100")]);
        let rows = before.compare(&after);
        let ids: Vec<&str> = rows.iter().map(|r| r.option.as_str()).collect();
        assert_eq!(ids, ["current", "ecs-ec2", "eks-ec2", "ecs-fargate"]);
        assert_eq!(rows[0].change_usd(), Some(Usd::ZERO));
        assert_eq!((rows[1].after, rows[1].change_usd()), (None, None));
        assert_eq!(rows[2].change_usd().map(Usd::amount), Some(dec!(-49.5)));
        assert_eq!(rows[3].before, None);
        assert_eq!(rows[3].after.map(|f| f.savings_usd.amount()), Some(dec!(-100)));
    }

    #[test]
    fn beyond_the_first_region_rows_match_by_platform_and_region() {
        let before = totals("1000", &[("ecs-ec2", "600", "400"), ("ecs-ec2 eu-west-1", "650", "350")]);
        let after = totals("1000", &[("ecs-ec2", "610", "390"), ("ecs-ec2 eu-west-1", "640", "360")]);
        let rows = before.compare(&after);
        let ids: Vec<(&str, &str)> = rows.iter().map(|r| (r.option.as_str(), r.label.as_str())).collect();
        assert_eq!(ids, [("current", "heroku"), ("ecs-ec2", "ECS-EC2"), ("ecs-ec2@eu-west-1", "ECS-EC2, eu-west-1")]);
        assert_eq!(rows[1].change_usd().map(Usd::amount), Some(dec!(10)));
        assert_eq!(rows[2].change_usd().map(Usd::amount), Some(dec!(-10)));
    }

    #[test]
    fn totals_read_from_any_report_json_with_the_fields_they_need() {
        let json = r#"{"current":{"platform":"heroku","monthly_usd":30000.0,"breakdown":[]},
            "options":[{"platform":"ecs-ec2","label":"ECS on EC2","monthly_usd":12254.04,
            "savings_vs_current_usd":17745.96,"something_new":1}],"currency":"USD"}"#;
        let t: Totals = serde_json::from_str(json).unwrap();
        assert_eq!(t.options[0].monthly_usd.amount(), dec!(12254.04));
        assert_eq!(t.current.monthly_usd.amount(), dec!(30000));
    }
}
