//! Drawing labels: [`png`] (label printers, and the pictures inside PDF
//! sheets), [`svg`] (scalable, for the web preview) and [`pdf`] (office
//! sheets). All share one layout: the QR code on the left, filling the
//! label's height, the title large on the right, then name and summary.

pub mod pdf;
pub mod png;
pub mod svg;

/// Margin around the label's content, in millimetres.
pub const MARGIN_MM: f64 = 1.5;

/// Dots per inch of raster output.
pub const DPI: f64 = 300.0;
