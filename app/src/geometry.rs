//! Chart geometry as plain functions, so it is tested without a browser: linear scales, round
//! axis ticks, and the breakdown groups summed in stacking order. Positions only; every figure
//! plotted comes from the report.

use tco_engine::report::CostGroup;

/// Sums values per group, in stacking order ([`CostGroup::ALL`]), dropping empty groups.
pub fn by_group(lines: impl IntoIterator<Item = (CostGroup, f64)>) -> Vec<(CostGroup, f64)> {
    let mut groups: Vec<(CostGroup, f64)> = Vec::new();
    for (group, value) in lines {
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, v)) => *v += value,
            None => groups.push((group, value)),
        }
    }
    groups.retain(|(_, v)| *v > 0.0);
    groups.sort_by_key(|(g, _)| *g);
    groups
}

/// A linear map from a data interval to a pixel interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Data at the start of the range.
    pub d0: f64,
    /// Data at the end of the range.
    pub d1: f64,
    /// Pixel of `d0`.
    pub r0: f64,
    /// Pixel of `d1`.
    pub r1: f64,
}

impl Scale {
    /// A scale from `[d0, d1]` to `[r0, r1]`; an empty domain maps everything to `r0`.
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Scale {
        Scale { d0, d1, r0, r1 }
    }

    /// The pixel of a data value.
    pub fn map(&self, v: f64) -> f64 {
        if (self.d1 - self.d0).abs() < f64::EPSILON {
            return self.r0;
        }
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// Round tick values covering `[min, max]`, about `count` of them (1, 2 or 5 times a power
/// of ten apart), so axes read `$0, $50k, $100k` rather than arbitrary figures.
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    let (min, max) = if min <= max { (min, max) } else { (max, min) };
    let span = max - min;
    if span <= 0.0 || !span.is_finite() || count == 0 {
        return vec![min];
    }
    let raw = span / count as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| span / s <= count as f64).unwrap_or(10.0 * power);
    let first = (min / step).floor() * step;
    let mut ticks = Vec::new();
    let mut t = first;
    while t <= max + step * 0.5 {
        ticks.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
        if ticks.len() > 50 {
            break;
        }
    }
    ticks
}

/// SVG `points` for a polyline.
pub fn polyline(points: &[(f64, f64)], x: Scale, y: Scale) -> String {
    points.iter().map(|(px, py)| format!("{:.1},{:.1}", x.map(*px), y.map(*py))).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_map_linearly_and_survive_an_empty_domain() {
        let s = Scale::new(0.0, 100.0, 10.0, 210.0);
        assert_eq!(s.map(50.0), 110.0);
        assert_eq!(Scale::new(5.0, 5.0, 3.0, 9.0).map(5.0), 3.0);
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 240_000.0, 5), vec![0.0, 50_000.0, 100_000.0, 150_000.0, 200_000.0, 250_000.0]);
        let t = nice_ticks(-1_700.0, 900.0, 4);
        assert!(t.first().unwrap() <= &-1_700.0 && t.last().unwrap() >= &900.0, "{t:?}");
    }

    #[test]
    fn groups_sum_in_stacking_order() {
        let g = by_group([
            (CostGroup::Networking, 10.0),
            (CostGroup::Compute, 100.0),
            (CostGroup::Networking, 5.0),
            (CostGroup::Storage, 0.0),
        ]);
        assert_eq!(g, vec![(CostGroup::Compute, 100.0), (CostGroup::Networking, 15.0)]);
    }
}
