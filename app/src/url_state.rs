//! The current view and the key assumptions in the URL's query string, so a reload or a copied
//! link restores them without server storage. Parsing and encoding are plain functions; only
//! [`read`] and [`write`] touch the browser.

use crate::arch;
use tco_engine::catalog::Arch;
use tco_engine::scenario::{Headroom, DEFAULT_INSTANCE_TYPES};
use tco_engine::{Assumptions, Platform, PricingModel, SizingPolicy};

/// The audiences the page serves, plus the catalog explorer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Node plans, utilization, packing, workloads and imports.
    #[default]
    Engineering,
    /// Cost over time, break-even, band, pricing models, sensitivity and exports.
    Finance,
    /// Full-screen slides for a meeting room, no editing chrome.
    Presentation,
    /// Every catalog instance type, filtered and sorted.
    Explorer,
    /// Each target's monthly total in each region compared, and what each region lacks.
    Regions,
    /// The plan on each generation family group.
    Generations,
}

impl View {
    /// Every view, in the order the navigation lists them.
    pub const ALL: [View; 6] =
        [View::Engineering, View::Finance, View::Regions, View::Generations, View::Presentation, View::Explorer];

    /// The name used in the URL and in test ids.
    pub fn as_str(self) -> &'static str {
        match self {
            View::Engineering => "engineering",
            View::Finance => "finance",
            View::Presentation => "presentation",
            View::Explorer => "explorer",
            View::Regions => "regions",
            View::Generations => "generations",
        }
    }

    /// A label for the navigation.
    pub fn label(self) -> &'static str {
        match self {
            View::Engineering => "Engineering",
            View::Finance => "Finance",
            View::Presentation => "Presentation",
            View::Explorer => "Instance explorer",
            View::Regions => "Regions",
            View::Generations => "Generations",
        }
    }

    /// The view named `name`.
    pub fn parse(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.as_str() == name)
    }
}

/// What a URL may say; anything absent or not understood keeps the scenario's value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UrlState {
    /// `view=finance`.
    pub view: Option<View>,
    /// `targets=ecs-ec2,eks-ec2`.
    pub targets: Option<Vec<Platform>>,
    /// `region=eu-west-1`.
    pub region: Option<String>,
    /// `regions=us-east-1,eu-west-1`: regions side by side.
    pub regions: Option<Vec<String>>,
    /// `azs=2`.
    pub availability_zones: Option<u32>,
    /// `headroom=0.7`.
    pub headroom: Option<Headroom>,
    /// `pricing=compute-sp-1y`.
    pub pricing: Option<PricingModel>,
    /// `types=c5,m6i.large`.
    pub instance_types: Option<Vec<String>>,
    /// `arch=x86_64,arm64`.
    pub architectures: Option<Vec<Arch>>,
    /// `sizing=measured`.
    pub sizing: Option<SizingPolicy>,
    /// `mixed=false`.
    pub mixed_instance_types: Option<bool>,
}

impl UrlState {
    /// Reads a query string (with or without its leading `?`). Unknown keys and values that do
    /// not parse are ignored: a hand-edited link never breaks the page.
    pub fn parse(query: &str) -> UrlState {
        let mut state = UrlState::default();
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            let list = || value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
            match key {
                "view" => state.view = View::parse(&value),
                "targets" => {
                    let targets: Vec<Platform> = list().filter_map(|t| Platform::parse(&t)).collect();
                    state.targets = (!targets.is_empty()).then_some(targets);
                }
                "region" if !value.trim().is_empty() => state.region = Some(value.trim().to_string()),
                "regions" => state.regions = Some(list().collect()).filter(|r: &Vec<String>| r.len() > 1),
                "azs" => state.availability_zones = value.parse().ok().filter(|n| (1..=6).contains(n)),
                "headroom" => state.headroom = value.parse().ok(),
                "pricing" => state.pricing = PricingModel::parse(&value),
                "types" => {
                    let types: Vec<String> = list().collect();
                    state.instance_types = (!types.is_empty()).then_some(types);
                }
                "arch" => {
                    let arches: Vec<Arch> = list().filter_map(|a| a.parse().ok()).collect();
                    state.architectures = (!arches.is_empty()).then(|| arch::sorted(arches));
                }
                "sizing" => state.sizing = sizing_policy(&value),
                "mixed" => state.mixed_instance_types = value.parse().ok(),
                _ => {}
            }
        }
        state
    }

    /// Puts what the URL says into the assumptions.
    pub fn apply(&self, a: &mut Assumptions) {
        if let Some(t) = &self.targets {
            a.targets = t.clone();
        }
        if let Some(r) = &self.region {
            a.region = r.clone();
        }
        if let Some(r) = &self.regions {
            a.regions = r.clone();
        }
        if let Some(n) = self.availability_zones {
            a.availability_zones = n;
        }
        if let Some(h) = self.headroom {
            a.headroom = h;
        }
        if let Some(p) = self.pricing {
            a.pricing = p;
        }
        if let Some(t) = &self.instance_types {
            a.instance_types = t.clone();
        }
        if let Some(list) = &self.architectures {
            a.architectures = list.clone();
        }
        if let Some(s) = self.sizing {
            a.sizing = s;
        }
        if let Some(m) = self.mixed_instance_types {
            a.mixed_instance_types = m;
        }
    }
}

/// The contract name of a sizing policy.
pub fn sizing_name(policy: SizingPolicy) -> &'static str {
    match policy {
        SizingPolicy::Dyno => "dyno",
        SizingPolicy::Measured => "measured",
    }
}

/// The sizing policy named `name`.
pub fn sizing_policy(name: &str) -> Option<SizingPolicy> {
    [SizingPolicy::Dyno, SizingPolicy::Measured].into_iter().find(|p| sizing_name(*p) == name)
}

/// The query string for a view and assumptions, e.g.
/// `?view=finance&targets=ecs-ec2,eks-ec2&region=us-east-1&azs=3&headroom=0.8&pricing=on-demand`.
/// The instance types, architectures, sizing policy and type mixing are left out while they
/// are the defaults, to keep links short.
pub fn to_query(view: View, a: &Assumptions) -> String {
    let defaults = Assumptions::default();
    let targets: Vec<&str> = a.targets.iter().map(|t| t.as_str()).collect();
    let mut q = format!(
        "?view={}&targets={}&region={}&azs={}&headroom={}&pricing={}",
        view.as_str(),
        targets.join(","),
        encode(&a.region),
        a.availability_zones,
        a.headroom,
        a.pricing.as_str()
    );
    if a.instance_types.iter().map(String::as_str).ne(DEFAULT_INSTANCE_TYPES.iter().copied()) {
        let types: Vec<String> = a.instance_types.iter().map(|t| encode(t)).collect();
        q.push_str(&format!("&types={}", types.join(",")));
    }
    if a.architectures != defaults.architectures {
        let arches: Vec<&str> = a.architectures.iter().map(|x| x.as_str()).collect();
        q.push_str(&format!("&arch={}", arches.join(",")));
    }
    if a.sizing != defaults.sizing {
        q.push_str(&format!("&sizing={}", sizing_name(a.sizing)));
    }
    if a.mixed_instance_types != defaults.mixed_instance_types {
        q.push_str(&format!("&mixed={}", a.mixed_instance_types));
    }
    if !a.regions.is_empty() {
        let regions: Vec<String> = a.regions.iter().map(|r| encode(r)).collect();
        q.push_str(&format!("&regions={}", regions.join(",")));
    }
    q
}

/// Percent-encodes everything but unreserved characters.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` as a space; malformed escapes stay as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page's current query string.
pub fn read() -> UrlState {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    UrlState::parse(&search)
}

/// Replaces the page's query string without adding a history entry or reloading.
pub fn write(query: &str) {
    let Some(window) = web_sys::window() else { return };
    if window.location().search().ok().as_deref() == Some(query) {
        return;
    }
    let path = window.location().pathname().unwrap_or_else(|_| "/".into());
    let hash = window.location().hash().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{query}{hash}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_round_trips_the_key_assumptions() {
        let mut a = Assumptions {
            targets: vec![Platform::EcsEc2, Platform::EksAuto],
            region: "eu-west-1".into(),
            availability_zones: 2,
            headroom: Headroom::new(0.7).unwrap(),
            pricing: PricingModel::ComputeSp1y,
            instance_types: vec!["c5".into(), "m6i.large".into()],
            architectures: vec![Arch::X86_64, Arch::Arm64],
            sizing: SizingPolicy::Measured,
            mixed_instance_types: false,
            regions: vec!["eu-west-1".into(), "sa-east-1".into()],
            ..Assumptions::default()
        };
        let q = to_query(View::Regions, &a);
        assert_eq!(
            q,
            "?view=regions&targets=ecs-ec2,eks-auto&region=eu-west-1&azs=2&headroom=0.7&pricing=compute-sp-1y&types=c5,m6i.large\
             &arch=x86_64,arm64&sizing=measured&mixed=false&regions=eu-west-1,sa-east-1"
        );
        let parsed = UrlState::parse(&q);
        assert_eq!(parsed.view, Some(View::Regions));
        let mut b = Assumptions::default();
        parsed.apply(&mut b);
        a.overrides.clear();
        assert_eq!(a, b);
    }

    #[test]
    fn defaults_stay_out_of_the_link() {
        let q = to_query(View::Engineering, &Assumptions::default());
        for key in ["types=", "arch=", "sizing=", "mixed=", "regions="] {
            assert!(!q.contains(key), "{q}");
        }
    }

    #[test]
    fn values_that_do_not_parse_are_ignored() {
        let s = UrlState::parse(
            "?view=nope&azs=99&headroom=1.5&pricing=cheap&targets=ecs-ec2,bogus&region=%20eu-west-1%20\
             &arch=sparc&sizing=guess&mixed=maybe",
        );
        assert_eq!((s.architectures.clone(), s.sizing, s.mixed_instance_types), (None, None, None));
        assert_eq!(s.view, None);
        assert_eq!(s.availability_zones, None);
        assert_eq!(s.headroom, None);
        assert_eq!(s.pricing, None);
        assert_eq!(s.targets, Some(vec![Platform::EcsEc2]));
        assert_eq!(s.region.as_deref(), Some("eu-west-1"));
        assert_eq!(decode("a%2"), "a%2");
    }
}
