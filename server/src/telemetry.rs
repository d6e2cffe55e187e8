//! Tracing set-up: `RUST_LOG` decides, with a quiet default for one-shot commands.

use tracing_subscriber::EnvFilter;

/// Installs a stderr subscriber; `default` applies when `RUST_LOG` is unset.
pub fn init(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
