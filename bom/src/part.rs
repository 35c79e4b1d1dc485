//! What a design's conventions say about a part: its kind from the
//! reference designator's letters, its package from a KiCad footprint name.

use crate::line::prefix_of;

/// The kind of part a designator names, as a word Spares' question
/// understanding knows (`R12` → "resistor"); a `D` whose footprint is an
/// LED is an LED. `None` for letters with no settled meaning.
pub fn kind(designator: &str, footprint: &str) -> Option<&'static str> {
    let prefix = prefix_of(designator).to_ascii_uppercase();
    let led_footprint = footprint.to_ascii_uppercase().contains("LED");
    Some(match prefix.as_str() {
        "R" | "RN" | "RR" | "RA" => "resistor",
        "C" | "CP" => "capacitor",
        "L" | "FB" => "inductor",
        "D" if led_footprint => "led",
        "D" | "CR" | "ZD" => "diode",
        "LED" | "DS" => "led",
        "Q" | "TR" => "transistor",
        "U" | "IC" => "ic",
        "Y" | "X" | "XTAL" => "crystal",
        "J" | "P" | "CN" | "CON" | "JP" | "X_" => "connector",
        "SW" | "S" | "BTN" | "K_" => "switch",
        "RV" | "VR" | "POT" => "potentiometer",
        "TH" | "NTC" | "RT" => "thermistor",
        "F" => "fuse",
        "K" => "relay",
        "BZ" | "LS" => "buzzer",
        "A" | "MOD" => "module",
        _ => return None,
    })
}

/// Chip sizes as KiCad names them: `R_0805_2012Metric` → 0805.
const CHIP_SIZES: &[&str] = &[
    "01005", "0201", "0402", "0603", "0805", "1008", "1206", "1210", "1806", "1812", "2010", "2512",
];

/// Package families whose name KiCad writes first (`SOT-23-5_…`).
const FAMILIES: &[&str] = &[
    "SOT", "SOIC", "SO", "SSOP", "TSSOP", "MSOP", "VSSOP", "QFN", "VQFN", "UQFN", "DFN", "WSON",
    "SON", "QFP", "TQFP", "LQFP", "DIP", "PDIP", "SIP", "TO", "SOD", "DO", "SMA", "SMB", "SMC",
    "BGA", "LGA", "SC", "SOP", "PLCC", "HTSSOP", "TSOT", "MiniMELF", "MELF",
];

/// The package a KiCad footprint names, the way people label boxes:
/// `Resistor_SMD:R_0805_2012Metric` → `0805`,
/// `Package_TO_SOT_SMD:SOT-23` → `SOT-23`, `Package_DIP:DIP-8_W7.62mm` →
/// `DIP-8`, `Package_TO_SOT_THT:TO-220-3_Vertical` → `TO-220`,
/// `LED_THT:LED_D5.0mm` → `5mm`, `Capacitor_THT:CP_Radial_D5.0mm_P2.00mm`
/// → `radial`. `None` when the name says nothing a box would.
pub fn package(footprint: &str) -> Option<String> {
    let name = footprint.rsplit(':').next().unwrap_or(footprint).trim();
    if name.is_empty() {
        return None;
    }
    let parts: Vec<&str> = name.split('_').collect();
    // A chip size anywhere among the first words (R_0805_2012Metric,
    // C_0603_1608Metric_Pad1.08x0.95mm_HandSolder, LED_0805_2012Metric).
    for p in parts.iter().take(3) {
        if CHIP_SIZES.contains(p) {
            return Some((*p).to_owned());
        }
    }
    // JLCPCB's and EasyEDA's short names: C0402, R0603, LED0805.
    let letters = name.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if letters.len() < name.len() && CHIP_SIZES.contains(&letters) {
        return Some(letters.to_owned());
    }
    let lower = name.to_ascii_lowercase();
    // Through-hole LEDs by diameter: LED_D5.0mm, LED_D3.0mm_Clear.
    if let Some(pos) = lower.find("led_d") {
        let rest = &lower[pos + 5..];
        let mm: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if let Ok(d) = mm.parse::<f64>()
            && rest[mm.len()..].starts_with("mm")
        {
            return Some(format!("{}mm", trim_number(d)));
        }
    }
    for p in &parts {
        let family: String = p.chars().take_while(char::is_ascii_alphabetic).collect();
        if let Some(f) = FAMILIES.iter().find(|f| f.eq_ignore_ascii_case(&family)) {
            let rest = &p[family.len()..];
            let rest = rest.strip_prefix('-').unwrap_or(rest);
            if !rest.starts_with(|c: char| c.is_ascii_digit()) {
                // SMA, SMB, MELF stand alone.
                if rest.is_empty() && matches!(*f, "SMA" | "SMB" | "SMC" | "MELF" | "MiniMELF") {
                    return Some((*f).to_owned());
                }
                continue;
            }
            let mut pieces = rest.split('-');
            let size = pieces.next().unwrap_or_default();
            let count = pieces
                .next()
                .filter(|c| c.chars().all(|ch| ch.is_ascii_digit()));
            let text = match (*f, count) {
                // TO-220-3, TO-92-3: the pin count is not part of the name.
                ("TO", _) | (_, None) => format!("{f}-{size}"),
                // SOT-23-5, SOT-23-6 differ from SOT-23 (SOT-223-3 does not).
                (_, Some(n)) if (*f == "SOT" || *f == "TSOT") && size == "23" => {
                    format!("{f}-{size}-{n}")
                }
                _ => format!("{f}-{size}"),
            };
            return Some(text);
        }
    }
    if parts.iter().any(|p| p.eq_ignore_ascii_case("Radial")) {
        return Some("radial".into());
    }
    if parts.iter().any(|p| p.eq_ignore_ascii_case("Axial")) {
        return Some("axial".into());
    }
    if parts.iter().any(|p| p.eq_ignore_ascii_case("Disc")) {
        return Some("disc".into());
    }
    None
}

fn trim_number(d: f64) -> String {
    let s = format!("{d}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footprints_name_the_packages_people_label_boxes_with() {
        for (footprint, want) in [
            ("Resistor_SMD:R_0805_2012Metric", Some("0805")),
            (
                "Capacitor_SMD:C_0603_1608Metric_Pad1.08x0.95mm_HandSolder",
                Some("0603"),
            ),
            ("Capacitor_THT:CP_Radial_D5.0mm_P2.00mm", Some("radial")),
            ("Package_TO_SOT_SMD:SOT-23", Some("SOT-23")),
            ("Package_TO_SOT_SMD:SOT-23-5", Some("SOT-23-5")),
            ("Package_TO_SOT_SMD:SOT-223-3_TabPin2", Some("SOT-223")),
            ("Package_DIP:DIP-8_W7.62mm", Some("DIP-8")),
            ("Package_DIP:DIP-16_W7.62mm_Socket", Some("DIP-16")),
            ("Package_TO_SOT_THT:TO-220-3_Vertical", Some("TO-220")),
            ("Package_TO_SOT_THT:TO-92_Inline", Some("TO-92")),
            ("LED_THT:LED_D5.0mm", Some("5mm")),
            ("LED_THT:LED_D3.0mm_Clear", Some("3mm")),
            ("LED_SMD:LED_0805_2012Metric", Some("0805")),
            ("Package_SO:SOIC-8_3.9x4.9mm_P1.27mm", Some("SOIC-8")),
            ("Package_SO:TSSOP-20_4.4x6.5mm_P0.65mm", Some("TSSOP-20")),
            (
                "Package_DFN_QFN:QFN-32-1EP_5x5mm_P0.5mm_EP3.45x3.45mm",
                Some("QFN-32"),
            ),
            ("Package_QFP:LQFP-48_7x7mm_P0.5mm", Some("LQFP-48")),
            ("Diode_SMD:D_SOD-123", Some("SOD-123")),
            ("Diode_SMD:D_SMA", Some("SMA")),
            ("Diode_THT:D_DO-41_SOD81_P10.16mm_Horizontal", Some("DO-41")),
            (
                "Resistor_THT:R_Axial_DIN0207_L6.3mm_D2.5mm_P10.16mm_Horizontal",
                Some("axial"),
            ),
            (
                "Connector_PinHeader_2.54mm:PinHeader_1x04_P2.54mm_Vertical",
                None,
            ),
            ("Module:Arduino_Nano", None),
            ("C0402", Some("0402")),
            ("LED0603", Some("0603")),
            ("", None),
        ] {
            assert_eq!(package(footprint).as_deref(), want, "{footprint}");
        }
    }

    #[test]
    fn designators_name_the_kind_of_part() {
        for (d, fp, want) in [
            ("R12", "", Some("resistor")),
            ("C3", "", Some("capacitor")),
            ("D1", "LED_THT:LED_D5.0mm", Some("led")),
            ("D2", "Diode_SMD:D_SOD-123", Some("diode")),
            ("LED4", "", Some("led")),
            ("U1", "", Some("ic")),
            ("Q2", "", Some("transistor")),
            ("Y1", "", Some("crystal")),
            ("J5", "", Some("connector")),
            ("SW1", "", Some("switch")),
            ("RV1", "", Some("potentiometer")),
            ("F1", "", Some("fuse")),
            ("TP1", "", None),
        ] {
            assert_eq!(kind(d, fp), want, "{d}");
        }
    }
}
