//! The report as files for spreadsheets: XLSX (every section on its own sheet, numbers as
//! numbers with currency formats) and CSV (one row per cost line). The same bytes come from
//! `tco estimate --format xlsx|csv` and `POST /api/estimate?format=xlsx|csv`.

mod csv;
mod sheets;
mod xlsx;

pub use self::csv::to_csv;
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
}

impl FileFormat {
    /// The format named `name` (`json`, `csv`, `xlsx`).
    pub fn parse(name: &str) -> Option<FileFormat> {
        match name {
            "json" => Some(FileFormat::Json),
            "csv" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            _ => None,
        }
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Json => "application/json",
            FileFormat::Csv => "text/csv; charset=utf-8",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// Its file extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Json => "json",
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

/// The report in `format`.
pub fn render(report: &tco_engine::Report, format: FileFormat) -> Result<Vec<u8>, ExportError> {
    match format {
        FileFormat::Json => Ok(serde_json::to_vec_pretty(report).expect("a report always serializes")),
        FileFormat::Csv => to_csv(report),
        FileFormat::Xlsx => to_xlsx(report),
    }
}
