//! What a label shows, and the sizes labels come in.

use spares_core::PublicUrl;

use crate::payload::Payload;

/// One label: a QR code and readable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// What the QR code encodes (a URL or `SPARES:B:…`).
    pub qr_text: String,
    /// Printed large: the box code ("A1") or part number ("#42").
    pub title: String,
    /// The box's name or the part's description.
    pub name: String,
    /// A short summary of what is inside ("10 kΩ 0805 ×150").
    pub summary: String,
}

impl Label {
    /// A label for `payload`, whose QR code opens `{public_url}/…` (or the
    /// offline short form when there is no public URL).
    pub fn new(
        payload: &Payload,
        public_url: Option<&PublicUrl>,
        name: &str,
        summary: &str,
    ) -> Label {
        let qr_text = match public_url {
            Some(base) => payload.url(base),
            None => payload.short(),
        };
        let title = match payload {
            Payload::Box(code) => code.to_string(),
            Payload::Spare(id) => format!("#{id}"),
        };
        Label {
            qr_text,
            title,
            name: name.trim().to_owned(),
            summary: summary.trim().to_owned(),
        }
    }
}

/// Millimetres per inch.
pub const MM_PER_INCH: f64 = 25.4;

/// A label printer's label (one PNG per label) or an office sheet of them
/// (one PDF page per sheet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Brother QL, 62 mm continuous tape, cut at 25 mm: 696 × 296 px at
    /// 300 dpi (696 px is the printable width of 62 mm tape).
    Brother62,
    /// Brother QL DK-11201, 29 × 90 mm: 306 × 991 px at 300 dpi, printed
    /// along the label (the image is portrait).
    Brother29x90,
    /// Dymo 11354, 57 × 32 mm.
    Dymo11354,
    /// A4 sheet, 3 × 8 labels of 70 × 37 mm (e.g. Avery 3474).
    A4x3x8,
    /// US Letter sheet, 3 × 10 labels of 2⅝″ × 1″ (Avery 5160).
    Letter3x10,
}

/// A sheet's grid, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sheet {
    pub page_width: f64,
    pub page_height: f64,
    pub columns: usize,
    pub rows: usize,
    pub label_width: f64,
    pub label_height: f64,
    /// Left and top margin of the first label.
    pub left: f64,
    pub top: f64,
    /// Space between columns and between rows.
    pub column_gap: f64,
    pub row_gap: f64,
}

impl Sheet {
    pub fn per_page(&self) -> usize {
        self.columns * self.rows
    }
}

impl Preset {
    pub const ALL: [Preset; 5] = [
        Preset::Brother62,
        Preset::Brother29x90,
        Preset::Dymo11354,
        Preset::A4x3x8,
        Preset::Letter3x10,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Preset::Brother62 => "brother-62",
            Preset::Brother29x90 => "brother-29x90",
            Preset::Dymo11354 => "dymo-11354",
            Preset::A4x3x8 => "a4-3x8",
            Preset::Letter3x10 => "letter-3x10",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Preset::Brother62 => "Brother QL, 62 mm continuous (PNG, 696 px wide at 300 dpi)",
            Preset::Brother29x90 => "Brother QL, 29 × 90 mm (PNG)",
            Preset::Dymo11354 => "Dymo 11354, 57 × 32 mm (PNG)",
            Preset::A4x3x8 => "A4 sheet, 3 × 8 labels of 70 × 37 mm (PDF)",
            Preset::Letter3x10 => "US Letter sheet, 3 × 10 labels of 2⅝ × 1 in (PDF)",
        }
    }

    pub fn parse(text: &str) -> Option<Preset> {
        let t = text.trim().to_ascii_lowercase();
        Preset::ALL.into_iter().find(|p| p.name() == t)
    }

    /// The label's size in millimetres as laid out (landscape: width ≥
    /// height).
    pub fn label_mm(self) -> (f64, f64) {
        match self {
            Preset::Brother62 => (696.0 / 300.0 * MM_PER_INCH, 296.0 / 300.0 * MM_PER_INCH),
            Preset::Brother29x90 => (991.0 / 300.0 * MM_PER_INCH, 306.0 / 300.0 * MM_PER_INCH),
            Preset::Dymo11354 => (57.0, 32.0),
            Preset::A4x3x8 => (70.0, 37.0),
            Preset::Letter3x10 => (2.625 * MM_PER_INCH, MM_PER_INCH),
        }
    }

    /// The exact pixel size of a label printer's image at 300 dpi, as the
    /// printer wants it (`None` for sheets).
    pub fn printer_pixels(self) -> Option<(u32, u32)> {
        match self {
            Preset::Brother62 => Some((696, 296)),
            Preset::Brother29x90 => Some((306, 991)),
            Preset::Dymo11354 => Some((673, 378)),
            Preset::A4x3x8 | Preset::Letter3x10 => None,
        }
    }

    /// Whether the printer's image is the laid-out label turned a quarter.
    pub fn rotated(self) -> bool {
        self == Preset::Brother29x90
    }

    /// The sheet grid (`None` for label printers).
    pub fn sheet(self) -> Option<Sheet> {
        match self {
            Preset::A4x3x8 => Some(Sheet {
                page_width: 210.0,
                page_height: 297.0,
                columns: 3,
                rows: 8,
                label_width: 70.0,
                label_height: 37.0,
                left: 0.0,
                top: 0.5,
                column_gap: 0.0,
                row_gap: 0.0,
            }),
            Preset::Letter3x10 => Some(Sheet {
                page_width: 8.5 * MM_PER_INCH,
                page_height: 11.0 * MM_PER_INCH,
                columns: 3,
                rows: 10,
                label_width: 2.625 * MM_PER_INCH,
                label_height: MM_PER_INCH,
                left: 0.1875 * MM_PER_INCH,
                top: 0.5 * MM_PER_INCH,
                column_gap: 0.125 * MM_PER_INCH,
                row_gap: 0.0,
            }),
            _ => None,
        }
    }
}

impl Preset {
    /// The grid a PDF uses: the sheet, or for a label printer one label per
    /// page of the label's size.
    pub fn pdf_sheet(self) -> Sheet {
        self.sheet().unwrap_or_else(|| {
            let (w, h) = self.label_mm();
            Sheet {
                page_width: w,
                page_height: h,
                columns: 1,
                rows: 1,
                label_width: w,
                label_height: h,
                left: 0.0,
                top: 0.0,
                column_gap: 0.0,
                row_gap: 0.0,
            }
        })
    }
}

impl std::fmt::Display for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
