//! Uploads: what a file *is*, decided from its bytes alone (never from its name or the
//! content type the browser claims), and a safe name to keep for it.
//!
//! [`sniff`] accepts an allow-list — PDF, PNG, JPEG, GIF, WebP, plain UTF-8 text or CSV, the
//! Office Open XML and OpenDocument formats (ZIP containers with the right inner entries) and
//! legacy Office files (OLE containers) — and refuses everything else with a [`Refusal`] whose
//! code is a Fluent id. Executables (MZ, ELF, Mach-O, `#!` scripts) and markup (HTML, SVG, XML)
//! are refused by name, so a renamed `.exe` or an SVG with a script never gets stored.
//! [`Sniffer`] decides the same over a stream in bounded memory: it keeps the head and the tail
//! and checks the whole of a text (UTF-8, no binary control bytes), however large the file.
//! [`stored_name`] gives a file the extension of what it is (`notes.html` holding text is kept
//! and downloaded as `notes.txt`), so no name ends in `.html`, `.bat`, `.ps1`, `.exe` ….

/// A file type Tejido stores and serves (always as an attachment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    Text,
    Csv,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Doc,
    Xls,
}

impl FileKind {
    /// The content type it is served with (never `text/html` or `image/svg+xml`).
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Text => "text/plain; charset=utf-8",
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
        }
    }

    /// Every content type [`sniff`] can produce, to check stored values.
    pub const ALL: [FileKind; 14] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Gif,
        FileKind::Webp,
        FileKind::Text,
        FileKind::Csv,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Pptx,
        FileKind::Odt,
        FileKind::Ods,
        FileKind::Doc,
        FileKind::Xls,
    ];

    /// A short label for lists ("PDF", "Word"…), the same in every language.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Png => "PNG",
            FileKind::Jpeg => "JPEG",
            FileKind::Gif => "GIF",
            FileKind::Webp => "WebP",
            FileKind::Text => "TXT",
            FileKind::Csv => "CSV",
            FileKind::Docx | FileKind::Doc => "Word",
            FileKind::Xlsx | FileKind::Xls => "Excel",
            FileKind::Pptx => "PowerPoint",
            FileKind::Odt => "ODT",
            FileKind::Ods => "ODS",
        }
    }

    pub fn from_content_type(ct: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.content_type() == ct)
    }

    /// The extension a stored file of this kind gets (see [`stored_name`]).
    pub fn extension(self) -> &'static str {
        self.extensions()[0]
    }

    /// The extensions a name may already end with for this kind (lowercase, the preferred one
    /// first).
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Gif => &["gif"],
            FileKind::Webp => &["webp"],
            FileKind::Text => &["txt"],
            FileKind::Csv => &["csv"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Pptx => &["pptx"],
            FileKind::Odt => &["odt"],
            FileKind::Ods => &["ods"],
            FileKind::Doc => &["doc"],
            FileKind::Xls => &["xls"],
        }
    }
}

/// Extensions a browser or a desktop would open as something active (a page, a script, a
/// program). No stored or downloaded name ends with one: [`stored_name`] always ends with the
/// sniffed kind's own extension, and the tests check that none of those is listed here.
pub const DANGEROUS_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "shtml", "mht", "mhtml", "hta", "svg", "svgz", "xml", "xsl", "js",
    "mjs", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "bat", "cmd", "com", "exe", "scr",
    "pif", "msi", "dll", "cpl", "jar", "lnk", "reg", "sh", "py", "php", "swf", "url", "desktop",
    "app", "apk",
];

/// The name a file is kept and downloaded under: its sanitized name with the extension of what
/// its bytes are. When the name already ends with one of the kind's extensions it is kept as
/// is; otherwise a short last extension (1–5 letters or digits) is replaced and anything else
/// gets the extension appended: `notes.html` holding text becomes `notes.txt`, `LEEME` becomes
/// `LEEME.txt`, `acta.v2.final` holding a PDF becomes `acta.v2.pdf`. `None` (a stored type this
/// version does not serve as such) gets `.bin`.
pub fn stored_name(name: &str, kind: Option<FileKind>) -> String {
    let own: &[&str] = kind.map_or(&["bin"], FileKind::extensions);
    let ext = own[0];
    let (stem, last) = match name.rsplit_once('.') {
        Some((stem, last))
            if !stem.trim().is_empty()
                && (1..=5).contains(&last.len())
                && last.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            (stem, Some(last.to_ascii_lowercase()))
        }
        _ => (name, None),
    };
    if last.as_deref().is_some_and(|l| own.contains(&l)) {
        return name.to_owned();
    }
    let stem = stem.trim_end_matches(['.', ' ']);
    let stem = if stem.is_empty() { "archivo" } else { stem };
    format!("{stem}.{ext}")
}

/// Why a file was refused; `code()` is the Fluent id of the message (which names the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    /// The whole request went over the limit (no single file to name).
    RequestTooLarge,
    Executable,
    Markup,
    Unknown,
    /// More files in one request than allowed.
    TooManyFiles,
    /// The community's (or the instance library's) upload quota would be exceeded.
    QuotaExceeded,
    /// Too many uploads are being received at once; try again shortly.
    Busy,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Empty => "upload-error-empty",
            Refusal::TooLarge => "upload-error-too-large",
            Refusal::RequestTooLarge => "upload-error-request-too-large",
            Refusal::Executable => "upload-error-executable",
            Refusal::Markup => "upload-error-markup",
            Refusal::Unknown => "upload-error-type",
            Refusal::TooManyFiles => "upload-error-too-many-files",
            Refusal::QuotaExceeded => "upload-error-quota",
            Refusal::Busy => "upload-error-busy",
        }
    }
    /// True when the refusal is about size or count (answered with 413).
    pub fn is_size(self) -> bool {
        matches!(
            self,
            Refusal::TooLarge
                | Refusal::RequestTooLarge
                | Refusal::TooManyFiles
                | Refusal::QuotaExceeded
        )
    }
    /// The HTTP status a refusal is answered with: 413 for size, count and quota, 503 when
    /// busy (with `Retry-After`), 422 for what the file is.
    pub fn status(self) -> u16 {
        if self.is_size() {
            413
        } else if self == Refusal::Busy {
            503
        } else {
            422
        }
    }
}

/// Decides what `bytes` are (the whole file at once; [`Sniffer`] does the same for a stream).
/// `name` (already sanitized) only chooses between formats the bytes cannot tell apart: text vs
/// CSV, and Word vs Excel inside a legacy OLE container.
pub fn sniff(bytes: &[u8], name: &str) -> Result<FileKind, Refusal> {
    let mut s = Sniffer::new();
    s.update(bytes);
    s.finish(name)
}

/// Bytes kept from the start of a file: magic numbers, the OpenDocument `mimetype` entry and
/// the start of a text (markup and `#!` are looked for there).
pub const SNIFF_HEAD: usize = 8 * 1024;
/// Bytes kept from the end of a file: a ZIP's end-of-central-directory record (within the last
/// 64 KB + 22 bytes) and its central directory. An Office file whose directory does not fit
/// (tens of thousands of entries) is not recognized.
pub const SNIFF_TAIL: usize = 256 * 1024;

/// [`sniff`] over a stream, in bounded memory (at most [`SNIFF_HEAD`] bytes, plus 2 ×
/// [`SNIFF_TAIL`] for a ZIP, whatever the file's size): the head and the tail are kept, and the whole file is
/// checked as it passes to be UTF-8 without binary control characters, so a text is a text to
/// its last byte, not only in its first kilobyte.
#[derive(Debug, Default)]
pub struct Sniffer {
    head: Vec<u8>,
    tail: Vec<u8>,
    len: u64,
    /// Still valid text so far.
    text: bool,
    /// An incomplete UTF-8 sequence carried over from the previous chunk (at most 3 bytes).
    pending: Vec<u8>,
}

fn bad_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')
}

impl Sniffer {
    pub fn new() -> Sniffer {
        Sniffer {
            text: true,
            ..Sniffer::default()
        }
    }

    /// Bytes seen so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Feeds the next bytes of the file.
    pub fn update(&mut self, chunk: &[u8]) {
        if chunk.is_empty() {
            return;
        }
        self.len = self
            .len
            .saturating_add(u64::try_from(chunk.len()).unwrap_or(u64::MAX));
        if self.head.len() < SNIFF_HEAD {
            let take = (SNIFF_HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        // Only a ZIP needs its tail.
        if self.head.len() < 4 || self.head.starts_with(b"PK\x03\x04") {
            self.tail.extend_from_slice(chunk);
        } else {
            self.tail = Vec::new();
        }
        if self.tail.len() > 2 * SNIFF_TAIL {
            let cut = self.tail.len() - SNIFF_TAIL;
            self.tail.drain(..cut);
        }
        if self.text {
            self.check_text(chunk);
        }
    }

    /// Incremental UTF-8 and control-character check of one chunk.
    fn check_text(&mut self, mut chunk: &[u8]) {
        // Complete a sequence cut at the end of the previous chunk.
        while !self.pending.is_empty() && !chunk.is_empty() {
            self.pending.push(chunk[0]);
            chunk = &chunk[1..];
            match std::str::from_utf8(&self.pending) {
                Ok(s) => {
                    if s.chars().any(bad_control) {
                        self.text = false;
                        return;
                    }
                    self.pending.clear();
                }
                Err(e) if e.error_len().is_some() || self.pending.len() >= 4 => {
                    self.text = false;
                    return;
                }
                Err(_) => {}
            }
        }
        match std::str::from_utf8(chunk) {
            Ok(s) => {
                if s.chars().any(bad_control) {
                    self.text = false;
                }
            }
            Err(e) => {
                let (valid, rest) = chunk.split_at(e.valid_up_to());
                // `valid` is UTF-8 by construction.
                let bad = std::str::from_utf8(valid).map_or(true, |s| s.chars().any(bad_control));
                if bad || e.error_len().is_some() {
                    self.text = false;
                } else {
                    self.pending.extend_from_slice(rest);
                }
            }
        }
    }

    /// Decides what the file is (see [`sniff`]).
    pub fn finish(self, name: &str) -> Result<FileKind, Refusal> {
        let bytes = self.head.as_slice();
        if bytes.is_empty() {
            return Err(Refusal::Empty);
        }
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        // Executables first: whatever they are named.
        if bytes.starts_with(b"MZ")
            || bytes.starts_with(b"\x7fELF")
            || bytes.starts_with(b"#!")
            || [
                [0xFE, 0xED, 0xFA, 0xCE],
                [0xFE, 0xED, 0xFA, 0xCF],
                [0xCE, 0xFA, 0xED, 0xFE],
                [0xCF, 0xFA, 0xED, 0xFE],
                [0xCA, 0xFE, 0xBA, 0xBE],
            ]
            .iter()
            .any(|m| bytes.starts_with(m))
        {
            return Err(Refusal::Executable);
        }
        if bytes.starts_with(b"%PDF-") {
            return Ok(FileKind::Pdf);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Ok(FileKind::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Ok(FileKind::Jpeg);
        }
        if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            return Ok(FileKind::Gif);
        }
        if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            return Ok(FileKind::Webp);
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Ok(if ext == "xls" {
                FileKind::Xls
            } else {
                FileKind::Doc
            });
        }
        if bytes.starts_with(b"PK\x03\x04") {
            let tail_start = self
                .len
                .saturating_sub(u64::try_from(self.tail.len()).unwrap_or(u64::MAX));
            return zip_kind(bytes, &self.tail, tail_start).ok_or(Refusal::Unknown);
        }
        if !self.text || !self.pending.is_empty() {
            return Err(Refusal::Unknown);
        }
        text_kind(bytes, &ext)
    }
}

/// The start of a text (already checked to be UTF-8 throughout): not a script, not markup.
fn text_kind(head: &[u8], ext: &str) -> Result<FileKind, Refusal> {
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    // The head may end inside a character: keep its valid part.
    let s = match std::str::from_utf8(body) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&body[..e.valid_up_to()]).map_err(|_| Refusal::Unknown)?,
    };
    let start = s.trim_start();
    if start.starts_with("#!") {
        return Err(Refusal::Executable);
    }
    // HTML, SVG and XML start with a tag; so does anything a browser might render as markup.
    let head: String = start.chars().take(1024).collect::<String>().to_lowercase();
    if start.starts_with('<')
        || [
            "<html",
            "<!doctype",
            "<svg",
            "<script",
            "<?xml",
            "<body",
            "<iframe",
        ]
        .iter()
        .any(|t| head.contains(t))
    {
        return Err(Refusal::Markup);
    }
    Ok(if ext == "csv" {
        FileKind::Csv
    } else {
        FileKind::Text
    })
}

/// The names of the entries of a ZIP archive, read from its central directory. `tail` holds
/// the file's last bytes, starting at offset `base` of the file.
fn zip_names(tail: &[u8], base: u64) -> Option<Vec<&[u8]>> {
    let le16 = |i: usize| -> Option<usize> {
        Some(usize::from(u16::from_le_bytes(
            tail.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    let le32 = |i: usize| -> Option<u64> {
        Some(u64::from(u32::from_le_bytes(
            tail.get(i..i + 4)?.try_into().ok()?,
        )))
    };
    // The end-of-central-directory record is in the last 22 + 65535 bytes.
    let min = tail.len().saturating_sub(22 + 65_535);
    let eocd = (min..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail.get(i..i + 4) == Some(b"PK\x05\x06"))?;
    let count = le16(eocd + 10)?;
    // The directory's offset in the file, then in the tail (None when it starts before it).
    let mut at = usize::try_from(le32(eocd + 16)?.checked_sub(base)?).ok()?;
    let mut names = Vec::with_capacity(count.min(4096));
    for _ in 0..count.min(100_000) {
        if tail.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let n = le16(at + 28)?;
        let extra = le16(at + 30)?;
        let comment = le16(at + 32)?;
        names.push(tail.get(at + 46..at + 46 + n)?);
        at = at + 46 + n + extra + comment;
    }
    Some(names)
}

fn zip_kind(head: &[u8], tail: &[u8], base: u64) -> Option<FileKind> {
    // OpenDocument: the first entry is an uncompressed `mimetype` naming the format.
    if head.get(30..38) == Some(b"mimetype") {
        let rest = head.get(38..38 + 60).unwrap_or(&head[38..]);
        if rest.starts_with(b"application/vnd.oasis.opendocument.text") {
            return Some(FileKind::Odt);
        }
        if rest.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            return Some(FileKind::Ods);
        }
    }
    let names = zip_names(tail, base)?;
    let has = |n: &[u8]| names.contains(&n);
    if !has(b"[Content_Types].xml") {
        return None;
    }
    if has(b"word/document.xml") {
        Some(FileKind::Docx)
    } else if has(b"xl/workbook.xml") {
        Some(FileKind::Xlsx)
    } else if has(b"ppt/presentation.xml") {
        Some(FileKind::Pptx)
    } else {
        None
    }
}

/// The name kept for a file: its last path component, without control characters or
/// characters that are special in headers or file systems, at most 120 characters.
pub fn sanitize_filename(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')' | ',') {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    let t = cleaned.trim().trim_start_matches('.').trim();
    if t.is_empty() || t.chars().all(|c| c == '_') {
        "archivo".to_owned()
    } else {
        t.to_owned()
    }
}

/// The store's relative path for a hash: `ab/cdef…` (None unless 64 lowercase hex digits).
pub fn store_path(sha256: &str) -> Option<(String, String)> {
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    Some((sha256[..2].to_owned(), sha256[2..].to_owned()))
}

/// `filename*=UTF-8''…` (RFC 5987/6266) with a plain ASCII fallback.
pub fn content_disposition(name: &str) -> String {
    let mut enc = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            enc.push(char::from(b));
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{enc}")
}

/// A human size: "850 B", "12 KB", "3.4 MB".
pub fn human_size(n: i64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{} KB", (n + 512) / 1024)
    } else {
        let tenths = (n * 10 + 512 * 1024) / (1024 * 1024);
        if tenths % 10 == 0 {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

/// A minimal valid one-page PDF (used by the demo and tests).
pub const SAMPLE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n";

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny stored (uncompressed) ZIP with the given entry names.
    fn zip(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for n in names {
            let off = u32::try_from(out.len()).unwrap();
            let nb = n.as_bytes();
            let nl = u16::try_from(nb.len()).unwrap();
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&[0; 12]);
            out.extend_from_slice(&nl.to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(nb);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&nl.to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&off.to_le_bytes());
            central.extend_from_slice(nb);
        }
        let cd_off = u32::try_from(out.len()).unwrap();
        let cd_len = u32::try_from(central.len()).unwrap();
        out.extend_from_slice(&central);
        let cnt = u16::try_from(names.len()).unwrap();
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&cnt.to_le_bytes());
        out.extend_from_slice(&cnt.to_le_bytes());
        out.extend_from_slice(&cd_len.to_le_bytes());
        out.extend_from_slice(&cd_off.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    #[test]
    fn accepts_the_allow_list_from_bytes() {
        assert_eq!(sniff(SAMPLE_PDF, "x.bin"), Ok(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "a.pdf"), Ok(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "a"), Ok(FileKind::Jpeg));
        assert_eq!(sniff(b"GIF89a..", "a"), Ok(FileKind::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ", "a"), Ok(FileKind::Webp));
        assert_eq!(
            sniff("Año,monto\n2024,10\n".as_bytes(), "datos.csv"),
            Ok(FileKind::Csv)
        );
        assert_eq!(
            sniff("Notas de la sesión".as_bytes(), "n.txt"),
            Ok(FileKind::Text)
        );
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(sniff(&ole, "a.xls"), Ok(FileKind::Xls));
        assert_eq!(sniff(&ole, "a.doc"), Ok(FileKind::Doc));
        let docx = zip(&["[Content_Types].xml", "word/document.xml"]);
        assert_eq!(sniff(&docx, "a.zip"), Ok(FileKind::Docx));
        let xlsx = zip(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert_eq!(sniff(&xlsx, "a"), Ok(FileKind::Xlsx));
        let pptx = zip(&["[Content_Types].xml", "ppt/presentation.xml"]);
        assert_eq!(sniff(&pptx, "a"), Ok(FileKind::Pptx));
        let mut odt = zip(&["mimetype"]);
        // Put the mimetype text right after the first local header's name.
        odt.splice(
            38..38,
            b"application/vnd.oasis.opendocument.text".iter().copied(),
        );
        assert_eq!(sniff(&odt, "a"), Ok(FileKind::Odt));
    }

    #[test]
    fn refuses_executables_markup_and_unknown_whatever_the_name() {
        assert_eq!(
            sniff(b"MZ\x90\0\x03\0\0\0", "informe.pdf"),
            Err(Refusal::Executable)
        );
        assert_eq!(sniff(b"\x7fELF\x02\x01", "a.png"), Err(Refusal::Executable));
        assert_eq!(
            sniff(&[0xCF, 0xFA, 0xED, 0xFE, 7], "a"),
            Err(Refusal::Executable)
        );
        assert_eq!(
            sniff(b"#!/bin/sh\nrm -rf /", "a.txt"),
            Err(Refusal::Executable)
        );
        assert_eq!(
            sniff(b"<!DOCTYPE html><script>alert(1)</script>", "a.txt"),
            Err(Refusal::Markup)
        );
        assert_eq!(
            sniff(
                b"  <svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>",
                "a.png"
            ),
            Err(Refusal::Markup)
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><svg/>", "a"),
            Err(Refusal::Markup)
        );
        assert_eq!(sniff(b"hola\n<html>", "a.txt"), Err(Refusal::Markup));
        assert_eq!(sniff(b"\0\0\0\x01binary", "a.txt"), Err(Refusal::Unknown));
        assert_eq!(sniff(&[0xFF, 0xFE, 0x00], "a.txt"), Err(Refusal::Unknown));
        assert_eq!(sniff(&zip(&["evil.exe"]), "a.docx"), Err(Refusal::Unknown));
        assert_eq!(sniff(b"", "a.pdf"), Err(Refusal::Empty));
    }

    #[test]
    fn names_are_sanitized_and_encoded() {
        assert_eq!(
            sanitize_filename("C:\\Users\\ana\\Guía 2024.pdf"),
            "Guía 2024.pdf"
        );
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("a\"b;\r\nc.txt"), "a_b___c.txt");
        assert_eq!(sanitize_filename("...."), "archivo");
        assert_eq!(sanitize_filename(""), "archivo");
        let d = content_disposition("Guía 1.pdf");
        assert!(d.starts_with("attachment; "), "{d}");
        assert!(d.contains("filename*=UTF-8''Gu%C3%ADa%201.pdf"), "{d}");
        assert_eq!(store_path(&"a".repeat(64)).unwrap().0, "aa");
        assert!(store_path("../x").is_none());
        assert_eq!(human_size(2_500_000), "2.4 MB");
        assert_eq!(human_size(800), "800 B");
        assert_eq!(human_size(20 * 1024 * 1024), "20 MB");
        assert!(FileKind::ALL
            .iter()
            .all(|k| !k.content_type().contains("html") && !k.content_type().contains("svg")));
    }
    /// Feeds `bytes` in chunks of `n` and decides.
    fn sniff_chunked(bytes: &[u8], n: usize, name: &str) -> Result<FileKind, Refusal> {
        let mut s = Sniffer::new();
        for ch in bytes.chunks(n) {
            s.update(ch);
        }
        assert_eq!(s.len(), u64::try_from(bytes.len()).unwrap());
        s.finish(name)
    }

    #[test]
    fn the_stream_sniffer_checks_the_whole_text() {
        // A multi-byte character cut between chunks is still text.
        let text = "Notas de la sesión: año, niñez, acción — ✓\n".repeat(500);
        for n in [1, 2, 3, 7, 4096] {
            assert_eq!(
                sniff_chunked(text.as_bytes(), n, "n.txt"),
                Ok(FileKind::Text),
                "{n}"
            );
        }
        // A binary byte far past the head (here after 1 MB) makes it not a text.
        let mut late = "a".repeat(1024 * 1024).into_bytes();
        late.push(0);
        late.extend_from_slice(b"tail");
        assert_eq!(sniff_chunked(&late, 65_536, "x.txt"), Err(Refusal::Unknown));
        let mut invalid = "b".repeat(300_000).into_bytes();
        invalid.extend_from_slice(&[0xC3, 0x28]);
        assert_eq!(
            sniff_chunked(&invalid, 1000, "x.txt"),
            Err(Refusal::Unknown)
        );
        // A file cut inside a character is not valid UTF-8.
        let mut cut = "ok ".repeat(10).into_bytes();
        cut.push(0xE2);
        assert_eq!(sniff_chunked(&cut, 4, "x.txt"), Err(Refusal::Unknown));
        // A script after the head is still text (it is served as text/plain, named .txt).
        let mut script = "rem notas\r\n".repeat(2000).into_bytes();
        script.extend_from_slice(b"<script>alert(1)</script>");
        assert_eq!(sniff_chunked(&script, 8192, "x.bat"), Ok(FileKind::Text));
    }

    #[test]
    fn the_stream_sniffer_finds_a_zip_directory_in_the_tail() {
        let mut docx = zip(&["[Content_Types].xml", "word/document.xml"]);
        // A large first entry: the directory is far from the head, offsets are absolute.
        let pad = vec![b'x'; 3 * SNIFF_TAIL];
        let off = 30 + "[Content_Types].xml".len();
        docx.splice(off..off, pad.iter().copied());
        // Shift the central directory offsets written by `zip` (little-endian u32s).
        let shift = u32::try_from(pad.len()).unwrap();
        let eocd = docx.len() - 22;
        let cd = u32::from_le_bytes(docx[eocd + 16..eocd + 20].try_into().unwrap()) + shift;
        docx[eocd + 16..eocd + 20].copy_from_slice(&cd.to_le_bytes());
        let second = usize::try_from(cd).unwrap() + 46 + "[Content_Types].xml".len() + 42;
        let o = u32::from_le_bytes(docx[second..second + 4].try_into().unwrap()) + shift;
        docx[second..second + 4].copy_from_slice(&o.to_le_bytes());
        for n in [1000, 65_536, docx.len()] {
            assert_eq!(sniff_chunked(&docx, n, "a"), Ok(FileKind::Docx), "{n}");
        }
    }

    #[test]
    fn stored_names_end_with_the_sniffed_extension() {
        assert_eq!(stored_name("notes.html", Some(FileKind::Text)), "notes.txt");
        assert_eq!(stored_name("x.hta", Some(FileKind::Text)), "x.txt");
        assert_eq!(stored_name("run.bat", Some(FileKind::Text)), "run.txt");
        assert_eq!(stored_name("a.ps1", Some(FileKind::Text)), "a.txt");
        assert_eq!(stored_name("a.vbs", Some(FileKind::Text)), "a.txt");
        assert_eq!(stored_name("app.js", Some(FileKind::Text)), "app.txt");
        assert_eq!(stored_name("LEEME", Some(FileKind::Text)), "LEEME.txt");
        assert_eq!(stored_name("notas.TXT", Some(FileKind::Text)), "notas.TXT");
        assert_eq!(stored_name("datos.csv", Some(FileKind::Csv)), "datos.csv");
        assert_eq!(
            stored_name("Guía 2024.pdf", Some(FileKind::Pdf)),
            "Guía 2024.pdf"
        );
        assert_eq!(stored_name("foto.JPEG", Some(FileKind::Jpeg)), "foto.JPEG");
        assert_eq!(stored_name("foto.png", Some(FileKind::Jpeg)), "foto.jpg");
        assert_eq!(
            stored_name("acta.v2.final", Some(FileKind::Pdf)),
            "acta.v2.pdf"
        );
        assert_eq!(
            stored_name("informe.documento_largo", Some(FileKind::Pdf)),
            "informe.documento_largo.pdf"
        );
        assert_eq!(stored_name("x.exe", None), "x.bin");
        assert_eq!(stored_name("archivo", Some(FileKind::Docx)), "archivo.docx");
        for k in FileKind::ALL {
            for e in k.extensions() {
                assert!(!DANGEROUS_EXTENSIONS.contains(e), "{e}");
            }
            for name in ["a.html", "a.svg", "b.exe", "c", "d.ps1", "e.pdf", "f.HTM"] {
                let n = stored_name(name, Some(k));
                let ext = n.rsplit_once('.').unwrap().1.to_ascii_lowercase();
                assert!(!DANGEROUS_EXTENSIONS.contains(&ext.as_str()), "{n}");
                assert_eq!(
                    FileKind::ALL
                        .iter()
                        .find(|k2| k2.extensions().contains(&ext.as_str()))
                        .copied(),
                    Some(k),
                    "{n}"
                );
            }
        }
    }
}
