//! `spares-labels`: what a box or part label says, and what a supplier's bag
//! code means.
//!
//! - [`payload`]: the text in a Spares QR code — `{SPARES_PUBLIC_URL}/b/{code}`,
//!   `{SPARES_PUBLIC_URL}/s/{id}`, or the offline `SPARES:B:{code}` /
//!   `SPARES:S:{id}` — built and parsed; anything else is reported unknown,
//!   never guessed.
//! - [`supplier`]: supplier bag codes (ISO/IEC 15434 from Digi-Key and
//!   Mouser, LCSC's `{pc:…,pm:…,qty:…}`, TME's `QTY:… MPN:…`) turned into
//!   "add N × part" proposals.
//!
//! Rendering labels (PNG/SVG/PDF) and decoding photos come with the rest of
//! the labels issue.

pub mod payload;
pub mod supplier;
