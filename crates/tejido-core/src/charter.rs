//! The community charter (*carta de la comunidad*): versioned named sections, drafts and
//! adoption, and the comparison of two versions. Three pure pieces live here: the section
//! catalog with the form that edits a draft, the Markdown renderer that is the only source of
//! HTML the templates insert unescaped, and the diff behind the side-by-side comparison.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

use crate::text_enum;
use crate::validate::{self, FieldErrors, Validated};

text_enum!(
    /// The charter's named sections, in the order they are shown (Step 3 and Table 4,
    /// "Management and Structure").
    Section {
        MissionVision = "mission-vision",
        Membership = "membership",
        Roles = "roles",
        Rules = "rules",
        Accountability = "accountability",
        Effort = "effort",
    }
);

/// The longest text one section may hold, in characters.
pub const MAX_SECTION_CHARS: usize = 20_000;

/// A draft as typed in the form (or sent to the API): one Markdown text per section.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct CharterForm {
    #[serde(rename = "mission-vision")]
    pub mission_vision: String,
    pub membership: String,
    pub roles: String,
    pub rules: String,
    pub accountability: String,
    pub effort: String,
}

/// A validated draft: the non-empty sections, in catalog order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharterInput {
    pub sections: Vec<(Section, String)>,
}

impl CharterForm {
    pub fn get(&self, s: Section) -> &str {
        match s {
            Section::MissionVision => &self.mission_vision,
            Section::Membership => &self.membership,
            Section::Roles => &self.roles,
            Section::Rules => &self.rules,
            Section::Accountability => &self.accountability,
            Section::Effort => &self.effort,
        }
    }

    fn slot(&mut self, s: Section) -> &mut String {
        match s {
            Section::MissionVision => &mut self.mission_vision,
            Section::Membership => &mut self.membership,
            Section::Roles => &mut self.roles,
            Section::Rules => &mut self.rules,
            Section::Accountability => &mut self.accountability,
            Section::Effort => &mut self.effort,
        }
    }

    /// A form filled from stored `(section key, body)` pairs; unknown keys are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut f = CharterForm::default();
        for (k, v) in pairs {
            if let Some(s) = Section::parse(k) {
                *f.slot(s) = v.to_owned();
            }
        }
        f
    }

    /// Each section is optional; a too-long one is reported under its key.
    pub fn parse(&self) -> Validated<CharterInput> {
        let mut e = FieldErrors::new();
        let mut sections = Vec::new();
        for s in Section::ALL {
            // Line endings from browsers are CRLF; store LF so versions compare cleanly.
            let text = self.get(*s).replace("\r\n", "\n");
            if let Some(v) = validate::optional(&mut e, s.as_str(), &text, MAX_SECTION_CHARS) {
                sections.push((*s, v));
            }
        }
        e.into_result(CharterInput { sections })
    }
}

// ---- safe Markdown ---------------------------------------------------------------------------------

/// True for link targets a reader may follow: http, https, mailto, or a relative address.
/// Browsers ignore ASCII whitespace and control characters inside a scheme (`java\tscript:`),
/// so those are removed before looking at it.
pub fn safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    match cleaned.find([':', '/', '?', '#']) {
        Some(i) if cleaned.as_bytes()[i] == b':' => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Renders Markdown to HTML that is safe to insert into a page: raw HTML (block or inline) is
/// dropped, links to anything but http/https/mailto/relative addresses keep their text but lose
/// the link, and images are reduced to their alt text (no third-party requests, no `onerror`).
/// Everything else is escaped by pulldown-cmark's HTML writer.
pub fn render_markdown(src: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    // One entry per open link: whether its start tag was kept.
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(src, opts).filter_map(|ev| match ev {
        Event::Html(_) | Event::InlineHtml(_) => None,
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = safe_url(&dest_url);
            links.push(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => links
            .pop()
            .unwrap_or(false)
            .then_some(Event::End(TagEnd::Link)),
        other => Some(other),
    });
    let mut out = String::with_capacity(src.len() + src.len() / 2);
    html::push_html(&mut out, events);
    out
}

// ---- diff ----------------------------------------------------------------------------------------

/// A piece of a comparison: text both versions share, or text only the newer (added) or only
/// the older (removed) has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "lowercase")]
pub enum Segment {
    Same(String),
    Added(String),
    Removed(String),
}

impl Segment {
    pub fn text(&self) -> &str {
        match self {
            Segment::Same(t) | Segment::Added(t) | Segment::Removed(t) => t,
        }
    }
    pub fn is_same(&self) -> bool {
        matches!(self, Segment::Same(_))
    }
    pub fn is_added(&self) -> bool {
        matches!(self, Segment::Added(_))
    }
    pub fn is_removed(&self) -> bool {
        matches!(self, Segment::Removed(_))
    }
}

/// Above this many table cells the LCS is not computed and the changed block is shown as removed
/// then added: it keeps a pathological input (thousands of one-character lines) from costing
/// seconds and megabytes.
const MAX_CELLS: usize = 4_000_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Same,
    Add,
    Del,
}

/// Longest common subsequence of two token lists, as a list of operations. The common prefix
/// and suffix are trimmed first, so the table only covers the changed middle.
fn lcs_ops<T: PartialEq>(a: &[T], b: &[T]) -> Vec<(Op, usize)> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut ops: Vec<(Op, usize)> = (0..pre).map(|i| (Op::Same, i)).collect();
    let (n, m) = (ma.len(), mb.len());
    if n.saturating_mul(m) > MAX_CELLS {
        ops.extend((0..n).map(|i| (Op::Del, pre + i)));
        ops.extend((0..m).map(|j| (Op::Add, pre + j)));
    } else {
        // len[i][j] = LCS length of ma[i..] and mb[j..].
        let w = m + 1;
        let mut len = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                len[i * w + j] = if ma[i] == mb[j] {
                    len[(i + 1) * w + j + 1] + 1
                } else {
                    len[(i + 1) * w + j].max(len[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                ops.push((Op::Same, pre + i));
                i += 1;
                j += 1;
            } else if i < n && (j == m || len[(i + 1) * w + j] >= len[i * w + j + 1]) {
                ops.push((Op::Del, pre + i));
                i += 1;
            } else {
                ops.push((Op::Add, pre + j));
                j += 1;
            }
        }
    }
    ops.extend((0..suf).map(|k| (Op::Same, a.len() - suf + k)));
    ops
}

fn push(out: &mut Vec<Segment>, seg: Segment) {
    if seg.text().is_empty() {
        return;
    }
    match (out.last_mut(), seg) {
        (Some(Segment::Same(t)), Segment::Same(s))
        | (Some(Segment::Added(t)), Segment::Added(s))
        | (Some(Segment::Removed(t)), Segment::Removed(s)) => t.push_str(&s),
        (_, seg) => out.push(seg),
    }
}

/// Words and the whitespace between them, as separate tokens.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<bool> = None;
    for (i, ch) in s.char_indices() {
        let ws = ch.is_whitespace();
        if prev.is_some_and(|p| p != ws) {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(ws);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// A changed block (lines only in the old text, lines only in the new one) refined word by word.
fn diff_block(out: &mut Vec<Segment>, old: &str, new: &str) {
    let (a, b) = (words(old), words(new));
    for (op, k) in lcs_ops(&a, &b) {
        match op {
            Op::Same => push(out, Segment::Same(a[k].to_owned())),
            Op::Del => push(out, Segment::Removed(a[k].to_owned())),
            Op::Add => push(out, Segment::Added(b[k].to_owned())),
        }
    }
}

/// Compares two texts: an LCS over lines, then, inside each run of changed lines, an LCS over
/// words. Adjacent segments of the same kind are merged; concatenating the `Same` and `Removed`
/// segments gives `old` back, and the `Same` and `Added` ones give `new`.
pub fn diff(old: &str, new: &str) -> Vec<Segment> {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let mut out = Vec::new();
    let (mut del, mut add) = (String::new(), String::new());
    for (op, k) in lcs_ops(&a, &b) {
        match op {
            Op::Del => del.push_str(a[k]),
            Op::Add => add.push_str(b[k]),
            Op::Same => {
                diff_block(&mut out, &del, &add);
                del.clear();
                add.clear();
                push(&mut out, Segment::Same(a[k].to_owned()));
            }
        }
    }
    diff_block(&mut out, &del, &add);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn old_of(segs: &[Segment]) -> String {
        segs.iter()
            .filter(|s| !s.is_added())
            .map(Segment::text)
            .collect()
    }
    fn new_of(segs: &[Segment]) -> String {
        segs.iter()
            .filter(|s| !s.is_removed())
            .map(Segment::text)
            .collect()
    }

    #[test]
    fn catalog_has_six_sections_in_order() {
        let keys: Vec<_> = Section::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            keys,
            [
                "mission-vision",
                "membership",
                "roles",
                "rules",
                "accountability",
                "effort"
            ]
        );
    }

    #[test]
    fn form_sections_are_optional_but_bounded() {
        let f = CharterForm {
            rules: "  Escucha activa \r\n y respeto ".into(),
            ..Default::default()
        };
        let ok = f.parse().unwrap();
        assert_eq!(
            ok.sections,
            vec![(Section::Rules, "Escucha activa \n y respeto".to_owned())]
        );
        let long = CharterForm {
            effort: "x".repeat(MAX_SECTION_CHARS + 1),
            ..Default::default()
        };
        assert_eq!(
            long.parse().unwrap_err().get("effort"),
            Some("error-too-long")
        );
        let back = CharterForm::from_pairs([("roles", "R"), ("unknown", "U")]);
        assert_eq!(back.roles, "R");
        assert_eq!(CharterForm::default().parse().unwrap().sections, vec![]);
    }

    #[test]
    fn markdown_renders_the_usual_things() {
        let h = render_markdown(
            "# Misión\n\n**Juntas** y [sitio](https://example.org) <a@b.mx>\n\n- uno\n- dos",
        );
        assert!(h.contains("<h1>Misión</h1>"), "{h}");
        assert!(h.contains("<strong>Juntas</strong>"), "{h}");
        assert!(
            h.contains("<a href=\"https://example.org\">sitio</a>"),
            "{h}"
        );
        assert!(h.contains("<a href=\"mailto:a@b.mx\">"), "{h}");
        assert!(h.contains("<li>dos</li>"), "{h}");
        assert!(render_markdown("[rel](/c/red/charter)").contains("href=\"/c/red/charter\""));
    }

    #[test]
    fn markdown_drops_scripts_and_raw_html() {
        for payload in [
            "<script>alert(1)</script>",
            "antes <script>alert(1)</script> después",
            "<img src=x onerror=alert(1)>",
            "texto <img src=x onerror=alert(1)> texto",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div onclick=\"alert(1)\">clic</div>",
            "![x](https://evil.example/a.png \"t\")",
            "![x\" onerror=\"alert(1)](x)",
        ] {
            let h = render_markdown(payload);
            let lower = h.to_lowercase();
            for bad in ["<script", "<img", "<iframe", "<div"] {
                assert!(!lower.contains(bad), "{payload} → {h}");
            }
            // Attribute-looking text may remain as text, never inside a tag.
            for tag in lower.split('<').skip(1).filter_map(|t| t.split('>').next()) {
                assert!(!tag.contains("on"), "{payload} → {h}");
            }
        }
    }

    #[test]
    fn markdown_drops_dangerous_links_but_keeps_their_text() {
        for payload in [
            "[clic](javascript:alert(1))",
            "[clic](JavaScript:alert(1))",
            "[clic](java\tscript:alert(1))",
            "[clic](  javascript:alert(1))",
            "[clic](vbscript:msgbox)",
            "[clic](data:text/html;base64,PHNjcmlwdD4=)",
            "<javascript:alert(1)>",
            "[clic][r]\n\n[r]: javascript:alert(1)",
        ] {
            let h = render_markdown(payload);
            let lower = h.to_lowercase();
            assert!(!lower.contains("href"), "{payload} → {h}");
            assert!(
                !lower.contains("javascript:") || !lower.contains("<a"),
                "{payload} → {h}"
            );
        }
        assert!(render_markdown("[clic](javascript:alert(1))").contains("clic"));
        assert!(!safe_url("javascript:x") && !safe_url(" JAVASCRIPT:x") && !safe_url("data:x"));
        assert!(
            safe_url("https://x.mx")
                && safe_url("mailto:a@b.mx")
                && safe_url("/a:b")
                && safe_url("#s")
                && safe_url("a?b:c")
        );
    }

    #[test]
    fn html_in_code_stays_escaped() {
        let h =
            render_markdown("Usa `<script>alert(1)</script>` así\n\n```\n<b onmouseover=x>\n```");
        assert!(
            h.contains("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"),
            "{h}"
        );
        assert!(h.contains("&lt;b onmouseover=x&gt;"), "{h}");
        assert!(!h.contains("<script") && !h.contains("<b "), "{h}");
    }

    #[test]
    fn diff_of_equal_texts_is_one_same_segment() {
        assert_eq!(
            diff("a\nb\n", "a\nb\n"),
            vec![Segment::Same("a\nb\n".into())]
        );
        assert_eq!(diff("", ""), vec![]);
    }

    #[test]
    fn diff_finds_added_and_removed_lines() {
        let d = diff("uno\ndos\ntres\n", "uno\ntres\ncuatro\n");
        assert_eq!(
            d,
            vec![
                Segment::Same("uno\n".into()),
                Segment::Removed("dos\n".into()),
                Segment::Same("tres\n".into()),
                Segment::Added("cuatro\n".into()),
            ]
        );
    }

    #[test]
    fn diff_refines_changed_lines_by_word() {
        let old = "Nos reunimos cada mes.\nFin";
        let new = "Nos reunimos cada dos meses.\nFin";
        let d = diff(old, new);
        assert_eq!(
            d,
            vec![
                Segment::Same("Nos reunimos cada ".into()),
                Segment::Removed("mes.".into()),
                Segment::Added("dos meses.".into()),
                Segment::Same("\nFin".into()),
            ]
        );
        assert_eq!(old_of(&d), old);
        assert_eq!(new_of(&d), new);
    }

    #[test]
    fn diff_from_and_to_empty() {
        assert_eq!(diff("", "Nuevo"), vec![Segment::Added("Nuevo".into())]);
        assert_eq!(
            diff("Viejo\n", ""),
            vec![Segment::Removed("Viejo\n".into())]
        );
    }

    #[test]
    fn diff_reconstructs_both_sides() {
        let cases = [
            ("a b c\nd e f\ng", "a x c\nd e f\ng h\ni"),
            (
                "Mediación y\nacuerdos\n\n\nfin",
                "acuerdos\nmediación\n\nfin\n",
            ),
            ("ñ á é", "ñ  á é í"),
        ];
        for (a, b) in cases {
            let d = diff(a, b);
            assert_eq!(old_of(&d), a);
            assert_eq!(new_of(&d), b);
            // merged: no two neighbours of the same kind
            for w in d.windows(2) {
                assert_ne!(std::mem::discriminant(&w[0]), std::mem::discriminant(&w[1]));
            }
        }
    }

    #[test]
    fn huge_changes_fall_back_without_blowing_up() {
        let a: String = (0..3000).map(|i| format!("a{i}\n")).collect();
        let b: String = (0..3000).map(|i| format!("b{i}\n")).collect();
        let d = diff(&a, &b);
        assert_eq!(old_of(&d), a);
        assert_eq!(new_of(&d), b);
    }
}
