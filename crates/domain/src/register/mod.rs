//! The shared register: the vendors' product catalogue, the municipalities' systems in use
//! and their processing activities, with the taxonomy they are described in, and the review
//! items a vendor's change opens.

pub mod activity;
pub mod compare;
pub mod country;
pub mod overview;
pub mod processor;
pub mod product;
pub mod record;
pub mod review;
pub mod system;
pub mod taxonomy;
pub mod template;
pub mod usage;
pub mod vocabulary;

use crate::problem::FieldError;

/// Collects field errors while checking an input.
#[derive(Debug, Default)]
pub(crate) struct Errors(pub Vec<FieldError>);

impl Errors {
    pub(crate) fn add(&mut self, field: impl Into<String>, code: &str) {
        self.0.push(FieldError {
            field: field.into(),
            code: code.to_owned(),
        });
    }

    pub(crate) fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// Trims; `None` for blank. Checks length (in characters) and control characters.
pub(crate) fn text(
    errors: &mut Errors,
    field: &str,
    value: &str,
    required: bool,
    max: usize,
) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        if required {
            errors.add(field, "required");
        }
        return None;
    }
    if trimmed.chars().count() > max {
        errors.add(field, "too_long");
    } else if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        errors.add(field, "control_characters");
    }
    Some(trimmed.to_owned())
}

/// A list of short texts: each trimmed, blanks dropped, duplicates removed (first kept).
pub(crate) fn text_list(
    errors: &mut Errors,
    field: &str,
    values: &[String],
    max_items: usize,
    max_len: usize,
) -> Vec<String> {
    if values.len() > max_items {
        errors.add(field, "too_many");
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if let Some(t) = text(errors, &format!("{field}[{i}]"), v, false, max_len)
            && !out.contains(&t)
        {
            out.push(t);
        }
    }
    out
}
