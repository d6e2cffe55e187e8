//! The report as a workbook: a sheet per section, money as numbers in a USD format, so
//! finance can sum and chart them.

use super::sheets::{sheets, Cell};
use super::ExportError;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};
use tco_engine::Report;

/// The XLSX bytes.
pub fn to_xlsx(report: &Report) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let money = Format::new().set_num_format("\"$\"#,##0.00");
    let pct = Format::new().set_num_format("0.0%");
    for sheet in sheets(report) {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name)?;
        for (c, title) in sheet.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, title, &header)?;
            ws.set_column_width(c as u16, if c == 0 { 34 } else { 18 })?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Usd(d) => {
                        ws.write_number_with_format(r, c, d.to_f64().unwrap_or(0.0), &money)?;
                    }
                    Cell::Pct(p) => {
                        ws.write_number_with_format(r, c, *p, &pct)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    Ok(book.save_to_buffer()?)
}
