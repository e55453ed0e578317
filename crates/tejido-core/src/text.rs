//! Text normalization for search keys: Spanish users type without accents on phones, so
//! "mediacion" must find "Mediación". We store a folded key next to each searchable name.

/// Lowercases and strips the diacritics used in Spanish (and a few neighbours).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        for l in c.to_lowercase() {
            out.push(match l {
                'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
                'é' | 'è' | 'ë' | 'ê' => 'e',
                'í' | 'ì' | 'ï' | 'î' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
                'ú' | 'ù' | 'ü' | 'û' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                other => other,
            });
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A pattern for `LIKE` that finds `query` anywhere in a folded key, with LIKE's own
/// wildcards escaped (used with `ESCAPE '\'`).
pub fn like_pattern(query: &str) -> String {
    let mut p = String::from("%");
    for c in fold(query).chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// A URL slug from a name: folded, ASCII letters and digits, single dashes.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(60);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_spanish() {
        assert_eq!(fold("  Mediación  para la PAZ "), "mediacion para la paz");
        assert_eq!(fold("Niñez"), "ninez");
        assert_eq!(like_pattern("50%_x"), "%50\\%\\_x%");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Justicia Penal — Oaxaca 2026"),
            "justicia-penal-oaxaca-2026"
        );
        assert_eq!(slugify("¡Ñu!"), "nu");
    }
}
