//! The report as files: XLSX (every section on its own sheet, numbers as numbers with currency
//! formats), CSV (one row per cost line) and HTML (a self-contained business case to print or
//! e-mail). One report feeds every renderer; the same bytes come from
//! `tco estimate --format xlsx|csv|html` and `POST /api/estimate?format=xlsx|csv|html`.

mod csv;
mod html;
mod sheets;
mod xlsx;

pub use self::csv::to_csv;
pub use self::html::to_html;
pub use self::xlsx::to_xlsx;
pub use sheets::{sheets, Cell, Sheet};

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The XLSX writer failed.
    #[error("cannot write the spreadsheet: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The CSV writer failed.
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] ::csv::Error),
}

/// A file format the report can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// The JSON report.
    Json,
    /// One row per cost line.
    Csv,
    /// A workbook.
    Xlsx,
    /// A self-contained HTML report.
    Html,
}

impl FileFormat {
    /// The format named `name` (`json`, `csv`, `xlsx`).
    pub fn parse(name: &str) -> Option<FileFormat> {
        match name {
            "json" => Some(FileFormat::Json),
            "csv" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            "html" => Some(FileFormat::Html),
            _ => None,
        }
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Json => "application/json",
            FileFormat::Csv => "text/csv; charset=utf-8",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileFormat::Html => "text/html; charset=utf-8",
        }
    }

    /// Its file extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Json => "json",
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Html => "html",
        }
    }
}

/// The report of the scenario called `name` in `format`.
pub fn render(report: &tco_engine::Report, name: &str, format: FileFormat) -> Result<Vec<u8>, ExportError> {
    match format {
        FileFormat::Json => Ok(serde_json::to_vec_pretty(report).expect("a report always serializes")),
        FileFormat::Csv => to_csv(report),
        FileFormat::Xlsx => to_xlsx(report),
        FileFormat::Html => Ok(to_html(report, name).into_bytes()),
    }
}
