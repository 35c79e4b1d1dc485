//! `spares-labels`: box and part labels with QR codes, and reading QR codes
//! back from photos.
//!
//! - [`payload`]: the text in a Spares QR code — `{SPARES_PUBLIC_URL}/b/{code}`,
//!   `{SPARES_PUBLIC_URL}/s/{id}`, or the offline `SPARES:B:{code}` /
//!   `SPARES:S:{id}` — built and parsed; anything else is reported unknown,
//!   never guessed.
//! - [`label`]: what a label shows ([`Label`]) and the sizes it comes in
//!   ([`Preset`]: label printers and office sheets).
//! - [`qr`]: the code itself (level M, 4-module quiet zone, modules of at
//!   least 0.33 mm: a label too small for its payload is refused).
//! - [`render`]: PNG (label printers, exact pixel widths), SVG, PDF sheets.
//! - [`content`]: the label of a stored box or part (what it holds).
//! - [`decode`]: every QR code in a phone photo, with bounded memory.
//! - [`supplier`]: supplier bag codes (ISO/IEC 15434 from Digi-Key and
//!   Mouser, LCSC's `{pc:…,pm:…,qty:…}`, TME's `QTY:… MPN:…`) turned into
//!   "add N × part" proposals.
//!
//! Invariant: nothing here panics on input — bad pictures and texts are
//! errors that say what was wrong.

pub mod content;
pub mod decode;
pub mod label;
pub mod payload;
pub mod qr;
pub mod render;
pub mod scanned;
pub mod supplier;

pub use label::{Label, Preset};
pub use payload::Payload;
pub use qr::RenderError;
