//! The QR code of a label: error correction, quiet zone and the smallest
//! module that still scans when printed.

use qrcode::{Color, EcLevel, QrCode};

/// Quiet zone around the code, in modules (the standard's minimum).
pub const QUIET_ZONE: usize = 4;

/// The smallest printed module that phone cameras read reliably at a
/// normal distance, in millimetres.
pub const MIN_MODULE_MM: f64 = 0.33;

/// Why a label cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenderError {
    #[error("the text does not fit in a QR code: {0}")]
    TooLong(String),
    #[error(
        "the label is too small for its QR code: {needed_mm:.1} mm needed ({modules} modules of at least {MIN_MODULE_MM} mm with the quiet zone), {available_mm:.1} mm available. Use a larger label or a shorter public URL"
    )]
    TooSmall {
        modules: usize,
        needed_mm: f64,
        available_mm: f64,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write the image: {0}")]
    Encode(String),
}

/// A QR code as a square of dark/light modules (without the quiet zone).
#[derive(Debug, Clone)]
pub struct Matrix {
    pub size: usize,
    dark: Vec<bool>,
}

impl Matrix {
    /// Level M (15% of the code may be lost): labels get scuffed, and a
    /// box URL still fits a small code.
    pub fn encode(text: &str) -> Result<Matrix, RenderError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|e| RenderError::TooLong(e.to_string()))?;
        let size = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Ok(Matrix { size, dark })
    }

    pub fn dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }

    /// Modules across, quiet zone included.
    pub fn with_quiet_zone(&self) -> usize {
        self.size + 2 * QUIET_ZONE
    }

    /// Checks that a square of `side_mm` holds the code with modules of at
    /// least [`MIN_MODULE_MM`].
    pub fn check_fits(&self, side_mm: f64) -> Result<(), RenderError> {
        let modules = self.with_quiet_zone();
        let needed_mm = modules as f64 * MIN_MODULE_MM;
        if side_mm + 1e-9 < needed_mm {
            return Err(RenderError::TooSmall {
                modules,
                needed_mm,
                available_mm: side_mm,
            });
        }
        Ok(())
    }
}
