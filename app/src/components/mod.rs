//! Stateless, documented pieces of the page.

pub mod assumptions;
pub mod explorer;
pub mod import;
pub mod processes;
pub mod sources;
pub mod summary;
