//! Import errors: always the file, and the line and field when known.

use std::fmt;

/// A file that cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    /// The file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
    /// The field's path, e.g. `[2].quantity`.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ": line {line}")?;
            if let Some(column) = self.column {
                write!(f, ", column {column}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl ImportError {
    /// An error at a known place.
    pub fn at(file: &str, line: Option<u64>, field: Option<String>, message: impl Into<String>) -> Self {
        ImportError { file: file.into(), line, column: None, field, message: message.into() }
    }

    /// From a serde_json error, keeping its line and column but not repeating them.
    pub fn from_json(file: &str, field: Option<String>, e: &serde_json::Error, prefix: &str) -> Self {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        let message = if prefix.is_empty() { message } else { format!("{prefix}: {message}") };
        ImportError {
            file: file.into(),
            line: (e.line() > 0).then_some(e.line() as u64),
            column: (e.column() > 0).then_some(e.column() as u64),
            field,
            message,
        }
    }

    /// From a deserialization error with the path of the field that failed.
    pub fn from_path_error(file: &str, e: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = e.path().to_string();
        let field = (path != "." && !path.is_empty()).then_some(path);
        Self::from_json(file, field, e.inner(), "")
    }
}

/// An imported amount over the limit an estimate holds it to ([`tco_engine::limits`]), as the
/// error of `file` at `line`; `what` (if not empty) says what the amount belongs to. No real
/// bill comes near those limits, and sums of amounts within them cannot overflow.
pub(crate) fn over_limit(
    file: &str,
    line: Option<u64>,
    what: &str,
    e: tco_engine::limits::LimitExceeded,
) -> ImportError {
    ImportError::at(file, line, Some(e.field), format!("{what}{} is over the limit of {}", e.found, e.limit))
}
