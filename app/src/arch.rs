//! Image architectures by the names the scenario contract uses (`x86_64`, `arm64`), for the
//! link and the controls: the engine's `Arch` carries only its serde names, and the page must
//! spell them the same way to keep links interchangeable with scenario files.

use tco_engine::catalog::Arch;

/// Every architecture, with its contract name and a label for people.
pub const ARCHES: [(Arch, &str, &str); 2] =
    [(Arch::X86_64, "x86_64", "x86_64 (Intel and AMD)"), (Arch::Arm64, "arm64", "arm64 (AWS Graviton)")];

/// The contract name, e.g. `arm64`.
pub fn name(arch: Arch) -> &'static str {
    ARCHES.iter().find(|(a, _, _)| *a == arch).map(|(_, n, _)| *n).unwrap_or("x86_64")
}

/// The architecture named `name`.
pub fn parse(name: &str) -> Option<Arch> {
    ARCHES.iter().find(|(_, n, _)| *n == name).map(|(a, _, _)| *a)
}

/// The list in the order [`ARCHES`] gives, so a set reads and links the same however it was
/// built.
pub fn sorted(mut list: Vec<Arch>) -> Vec<Arch> {
    list.sort_by_key(|a| ARCHES.iter().position(|(x, _, _)| x == a));
    list.dedup();
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_scenario_contract() {
        for (arch, n, _) in ARCHES {
            assert_eq!(serde_json::to_value(arch).unwrap(), serde_json::json!(n));
            assert_eq!(parse(n), Some(arch));
            assert_eq!(name(arch), n);
        }
        assert_eq!(parse("sparc"), None);
        assert_eq!(sorted(vec![Arch::Arm64, Arch::X86_64, Arch::Arm64]), vec![Arch::X86_64, Arch::Arm64]);
    }
}
