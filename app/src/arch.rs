//! Image architectures as the page shows them: the engine's [`Arch`] names them (`x86_64`,
//! `arm64`, the scenario contract's spelling, so links and scenario files agree); the page adds
//! a label for people and one order for sets.

use tco_engine::catalog::Arch;

/// A label for people, e.g. `arm64 (AWS Graviton)`.
pub fn label(arch: Arch) -> &'static str {
    match arch {
        Arch::X86_64 => "x86_64 (Intel and AMD)",
        Arch::Arm64 => "arm64 (AWS Graviton)",
    }
}

/// The list in [`Arch::ALL`]'s order, once each, so a set reads and links the same however it
/// was built.
pub fn sorted(mut list: Vec<Arch>) -> Vec<Arch> {
    list.sort_by_key(|a| Arch::ALL.iter().position(|x| x == a));
    list.dedup();
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_reads_in_one_order_once_each() {
        assert_eq!(sorted(vec![Arch::Arm64, Arch::X86_64, Arch::Arm64]), vec![Arch::X86_64, Arch::Arm64]);
        assert_eq!(label(Arch::Arm64), "arm64 (AWS Graviton)");
    }
}
