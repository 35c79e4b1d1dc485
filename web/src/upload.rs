//! A file sent from a page's form (`multipart/form-data` with the form's
//! `csrf` field): read within its route's body limit, the CSRF token
//! checked, shared by the CSV import, the Scan page and the project check.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;

use crate::auth::Visitor;
use crate::auth::extract::CSRF_MESSAGE;
use crate::error::WebError;
use crate::html::PageError;
use crate::state::AppState;

/// A file from a form: its name (or "the file") and its bytes.
pub struct Upload {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// Most fields a form may send (files and text together).
pub const MAX_FIELDS: usize = 100;

/// A form's files (every field named `file`, in order) and its text fields.
pub struct Form {
    pub files: Vec<Upload>,
    pub texts: Vec<(String, String)>,
}

impl Form {
    /// A text field's value ("" when absent).
    pub fn text(&self, name: &str) -> &str {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Reads the form's `csrf` and `file` fields. `max_mib` and `nothing`
/// ("nothing was imported") go into the messages. `Ok(None)` when no file
/// (or an empty one) was chosen.
pub async fn form_file(
    state: &AppState,
    visitor: &Visitor,
    multipart: Result<Multipart, MultipartRejection>,
    max_mib: usize,
    nothing: &str,
) -> Result<Option<Upload>, PageError> {
    let form = form_fields(state, visitor, multipart, max_mib, nothing).await?;
    Ok(form.files.into_iter().next())
}

/// Reads a whole `multipart/form-data` body: every `file` field (empty
/// ones left out) and the text fields, bounded by the route's body limit
/// and [`MAX_FIELDS`]. No CSRF check: the API authenticates with its token.
pub async fn read_form(
    multipart: Result<Multipart, MultipartRejection>,
    max_mib: usize,
    nothing: &str,
) -> Result<Form, WebError> {
    let too_large = || {
        WebError::TooLarge(format!(
            "the upload is larger than {max_mib} MiB; {nothing}"
        ))
    };
    let mut multipart = multipart.map_err(|e| {
        WebError::BadRequest(format!("send the file as a form upload: {}", e.body_text()))
    })?;
    let mut form = Form {
        files: Vec::new(),
        texts: Vec::new(),
    };
    let mut fields = 0;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => {
                return Err(WebError::BadRequest(format!(
                    "unreadable upload: {}; {nothing}",
                    e.body_text()
                )));
            }
        };
        fields += 1;
        if fields > MAX_FIELDS {
            return Err(WebError::BadRequest(format!(
                "more than {MAX_FIELDS} fields in one form; {nothing}"
            )));
        }
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                WebError::BadRequest(format!("unreadable upload: {}", e.body_text()))
            }
        })?;
        if name == "file" {
            if !bytes.is_empty() {
                form.files.push(Upload {
                    filename: filename.unwrap_or_else(|| "the file".into()),
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            form.texts
                .push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok(form)
}

/// Reads a whole form: every `file` field (empty ones left out), the text
/// fields, and checks the `csrf` one. Bounded by the route's body limit and
/// [`MAX_FIELDS`].
pub async fn form_fields(
    state: &AppState,
    visitor: &Visitor,
    multipart: Result<Multipart, MultipartRejection>,
    max_mib: usize,
    nothing: &str,
) -> Result<Form, PageError> {
    let form = read_form(multipart, max_mib, nothing).await?;
    let csrf = form.text("csrf");
    let session_ok = visitor
        .session
        .as_ref()
        .is_some_and(|s| s.csrf_ok(&state.auth.key, csrf));
    if !session_ok {
        return Err(PageError(WebError::Forbidden(CSRF_MESSAGE.into())));
    }
    Ok(form)
}
