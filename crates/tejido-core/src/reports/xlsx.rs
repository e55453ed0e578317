//! A small XLSX (Office Open XML spreadsheet) writer: one sheet per table, a bold header row,
//! typed cells (numbers as numbers, dates as date serials with a date number format, text as
//! inline strings), packed in a ZIP archive with stored (uncompressed) entries and CRC-32
//! checksums. No dependency: the format needs only a handful of fixed XML parts.

use super::{Cell, Table};

/// The CRC-32 (IEEE 802.3, as ZIP uses it) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            // i < 256, so the cast is exact.
            #[allow(clippy::cast_possible_truncation)]
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    });
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc = table[((crc ^ u32::from(*b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc ^ 0xFFFF_FFFF
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A ZIP archive with stored entries (method 0). Sizes stay far below 4 GiB: a report is small.
pub fn zip_stored(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    // 1980-01-01 00:00 in MS-DOS format: a fixed stamp keeps the output reproducible.
    let (dos_time, dos_date) = (0u16, (1u16 << 5) | 1);
    for (name, data) in entries {
        let offset = u32::try_from(out.len()).unwrap_or(u32::MAX);
        let crc = crc32(data);
        let size = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let name_len = u16::try_from(name.len()).unwrap_or(u16::MAX);
        // Local file header.
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20); // version needed
        u16le(&mut out, 0x0800); // UTF-8 names
        u16le(&mut out, 0); // stored
        u16le(&mut out, dos_time);
        u16le(&mut out, dos_date);
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, size);
        u16le(&mut out, name_len);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Central directory entry.
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 20); // version made by
        u16le(&mut central, 20);
        u16le(&mut central, 0x0800);
        u16le(&mut central, 0);
        u16le(&mut central, dos_time);
        u16le(&mut central, dos_date);
        u32le(&mut central, crc);
        u32le(&mut central, size);
        u32le(&mut central, size);
        u16le(&mut central, name_len);
        u16le(&mut central, 0); // extra
        u16le(&mut central, 0); // comment
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        u32le(&mut central, 0); // external attributes
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = u32::try_from(out.len()).unwrap_or(u32::MAX);
    let cd_size = u32::try_from(central.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&central);
    let n = u16::try_from(entries.len()).unwrap_or(u16::MAX);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, n);
    u16le(&mut out, n);
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

/// Escapes text for XML content and attributes, dropping the control characters XML 1.0 forbids.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique in the book.
pub fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let base = if clean.trim().is_empty() {
        "Sheet".to_owned()
    } else {
        clean.trim().to_owned()
    };
    let mut name = base.clone();
    let mut i = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({i})");
        let keep: String = base.chars().take(31 - suffix.len()).collect();
        name = format!("{}{suffix}", keep.trim_end());
        i += 1;
    }
    name
}

/// The column letters of a zero-based column index (0 → A, 26 → AA).
pub fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        // i % 26 < 26, so the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Days since Excel's epoch (1899-12-30) — the serial a date cell holds.
pub fn excel_serial(d: chrono::NaiveDate) -> i64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (d - epoch).num_days()
}

fn sheet_xml(t: &Table) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#,
    );
    let row = |x: &mut String, r: usize, cells: &mut dyn Iterator<Item = (usize, Cell)>| {
        x.push_str(&format!(r#"<row r="{r}">"#));
        for (ci, cell) in cells {
            let at = format!("{}{r}", column_letters(ci));
            match cell {
                Cell::Empty => {}
                Cell::Int(v) => x.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#)),
                Cell::Num(v) if v.is_finite() => {
                    x.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#));
                }
                Cell::Num(_) => {}
                Cell::Date(d) => x.push_str(&format!(
                    r#"<c r="{at}" s="1"><v>{}</v></c>"#,
                    excel_serial(d)
                )),
                Cell::Text(s) => x.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                    xml_escape(&s)
                )),
            }
        }
        x.push_str("</row>");
    };
    let mut header = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (i, Cell::Text(c.clone())));
    // The header row uses the bold style (2).
    {
        let mut h = String::new();
        row(&mut h, 1, &mut header);
        x.push_str(&h.replace(r#"t="inlineStr""#, r#"s="2" t="inlineStr""#));
    }
    for (ri, r) in t.rows.iter().enumerate() {
        let mut cells = r.iter().cloned().enumerate();
        row(&mut x, ri + 2, &mut cells);
    }
    x.push_str("</sheetData></worksheet>");
    x
}

const CONTENT_TYPES_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

/// Style 0: default; 1: a date (yyyy-mm-dd); 2: bold (the header row).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;

/// The workbook: one sheet per table, named by the table's title.
pub fn workbook(tables: &[Table]) -> Vec<u8> {
    let mut names: Vec<String> = Vec::with_capacity(tables.len());
    for t in tables {
        let n = sheet_name(&t.title, &names);
        names.push(n);
    }
    let mut ct = String::from(CONTENT_TYPES_HEAD);
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut entries: Vec<(String, Vec<u8>)> = Vec::with_capacity(tables.len() + 5);
    for (i, (t, name)) in tables.iter().zip(&names).enumerate() {
        let n = i + 1;
        ct.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        wb.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            xml_escape(name)
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
        entries.push((
            format!("xl/worksheets/sheet{n}.xml"),
            sheet_xml(t).into_bytes(),
        ));
    }
    let styles_id = tables.len() + 1;
    rels.push_str(&format!(
        r#"<Relationship Id="rId{styles_id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
    ));
    ct.push_str("</Types>");
    wb.push_str("</sheets></workbook>");
    let mut all = vec![
        ("[Content_Types].xml".to_owned(), ct.into_bytes()),
        ("_rels/.rels".to_owned(), ROOT_RELS.as_bytes().to_vec()),
        ("xl/workbook.xml".to_owned(), wb.into_bytes()),
        ("xl/_rels/workbook.xml.rels".to_owned(), rels.into_bytes()),
        ("xl/styles.xml".to_owned(), STYLES.as_bytes().to_vec()),
    ];
    all.extend(entries);
    zip_stored(&all)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn columns_and_serials() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(excel_serial(d), 46023);
        let d = chrono::NaiveDate::from_ymd_opt(1900, 3, 1).unwrap();
        assert_eq!(excel_serial(d), 61);
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let taken = vec!["Eventos".to_owned()];
        assert_eq!(sheet_name("Eventos", &taken), "Eventos (2)");
        assert_eq!(sheet_name("a/b:c", &[]), "a_b_c");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, &[]).chars().count(), 31);
        let again = sheet_name(&long, &[sheet_name(&long, &[])]);
        assert_eq!(again.chars().count(), 31);
        assert!(again.ends_with(" (2)"));
    }

    #[test]
    fn zip_has_signatures_and_checksums() {
        let z = zip_stored(&[("a.txt".into(), b"hola".to_vec())]);
        assert_eq!(&z[..4], &[0x50, 0x4b, 0x03, 0x04]);
        let crc = crc32(b"hola").to_le_bytes();
        assert_eq!(&z[14..18], &crc);
        let n = z.len();
        assert_eq!(&z[n - 22..n - 18], &[0x50, 0x4b, 0x05, 0x06]);
    }

    #[test]
    fn sheets_type_their_cells() {
        let t = Table {
            key: "t",
            title: "Tabla <1>".into(),
            columns: vec!["a".into(), "b".into(), "c".into()],
            rows: vec![vec![
                Cell::Int(3),
                Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
                Cell::Text("=1+1 & <b>".into()),
            ]],
        };
        let x = sheet_xml(&t);
        assert!(x.contains(r#"<c r="A2"><v>3</v></c>"#));
        assert!(x.contains(r#"<c r="B2" s="1"><v>46023</v></c>"#));
        assert!(x.contains("=1+1 &amp; &lt;b&gt;"));
        assert!(x.contains(r#"<c r="A1" s="2" t="inlineStr">"#));
        let wb = workbook(&[t]);
        let s = String::from_utf8_lossy(&wb);
        assert!(s.contains(r#"<sheet name="Tabla &lt;1&gt;""#));
    }
}
