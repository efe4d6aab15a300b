//! Downloads as spreadsheets: CSV (RFC 4180, UTF-8) and XLSX with one sheet, a bold header
//! row and frozen headers — one writer for every export, so they all behave alike.

use actix_web::HttpResponse;
use vern_domain::OrganizationId;
use vern_domain::register::record::RecordLang;

use super::common::ParamErrors;
use crate::error::ApiError;

pub const XLSX: &str = vern_domain::register::overview::XLSX_MEDIA_TYPE;

/// `Content-Disposition` naming the file `{stem}-{org}.{ext}`.
fn attachment(stem: &str, org: OrganizationId, ext: &str) -> (&'static str, String) {
    (
        "Content-Disposition",
        format!("attachment; filename=\"{stem}-{org}.{ext}\""),
    )
}

/// The export language of `?lang=` (`nb` when absent), or 422.
pub fn lang(raw: Option<&str>) -> Result<RecordLang, ApiError> {
    let mut errors = ParamErrors::default();
    let lang = errors
        .choice("lang", raw, RecordLang::parse)
        .unwrap_or_default();
    errors.finish()?;
    Ok(lang)
}

/// A CSV download: the header row, then the rows.
pub fn csv(
    stem: &str,
    org: OrganizationId,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<HttpResponse, ApiError> {
    let csv_error = |e: csv::Error| ApiError::internal(anyhow::anyhow!("csv: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(headers).map_err(csv_error)?;
    for row in rows {
        writer.write_record(row).map_err(csv_error)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("csv: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(stem, org, "csv"))
        .body(body))
}

/// How a workbook's one sheet is laid out.
#[derive(Debug)]
pub struct Layout<'a> {
    pub sheet: &'a str,
    pub column_width: f64,
    /// Columns kept in view when scrolling sideways (the header row always is).
    pub frozen_columns: u16,
    /// Long texts wrap inside their cells.
    pub wrap: bool,
}

/// An XLSX download: one sheet, a bold header row, the rows as text.
pub fn xlsx(
    stem: &str,
    org: OrganizationId,
    layout: &Layout<'_>,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<HttpResponse, ApiError> {
    use rust_xlsxwriter::{Format, Workbook};
    let xlsx_error =
        |e: rust_xlsxwriter::XlsxError| ApiError::internal(anyhow::anyhow!("xlsx: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(layout.sheet).map_err(xlsx_error)?;
    let mut bold = Format::new().set_bold();
    let mut body = Format::new();
    if layout.wrap {
        bold = bold.set_text_wrap();
        body = body.set_text_wrap();
    }
    for (col, title) in headers.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        sheet
            .write_string_with_format(0, col, *title, &bold)
            .map_err(xlsx_error)?;
        sheet
            .set_column_width(col, layout.column_width)
            .map_err(xlsx_error)?;
    }
    for (i, cells) in rows.into_iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        for (col, cell) in cells.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(r, col, cell, &body)
                .map_err(xlsx_error)?;
        }
    }
    sheet
        .set_freeze_panes(1, layout.frozen_columns)
        .map_err(xlsx_error)?;
    let bytes = workbook.save_to_buffer().map_err(xlsx_error)?;
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header(attachment(stem, org, "xlsx"))
        .body(bytes))
}
