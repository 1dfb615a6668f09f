//! Text folding used to match labels and parse values: full-width to half-width, white space.
//!
//! Labels are matched loosely (all white space removed, full-width punctuation folded); values
//! keep their text exactly as written so the text rules can see tabs and stray spaces.

/// Folds one full-width character to its ASCII twin (`９` → `9`, `％` → `%`, `（` → `(`),
/// and the ideographic space to a plain space. Other characters pass through.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The form a label is compared in: no white space at all, full-width folded, and the
/// colon and brackets unified. `其中：财政    资金` → `其中:财政资金`,
/// `资金支出计划（%）` → `资金支出计划(%)`.
pub fn label_key(text: &str) -> String {
    text.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '★')
        .collect()
}

/// The characters `label_key` keeps, without building a string.
fn key_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '★')
}

/// `label_key(a) == label_key(b)`, without allocating (rules compare names per indicator).
pub fn same_key(a: &str, b: &str) -> bool {
    key_chars(a).eq(key_chars(b))
}

/// `label_key(text)` is empty.
pub fn key_is_empty(text: &str) -> bool {
    key_chars(text).next().is_none()
}

/// `label_key(name)`, less an optional `指标` suffix, equals `stem` (which has neither).
pub fn stem_is(name: &str, stem: &str) -> bool {
    let mut chars = key_chars(name);
    if !stem.chars().all(|want| chars.next() == Some(want)) {
        return false;
    }
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (None, _, _) | (Some('指'), Some('标'), None)
    )
}

/// True when the text is empty after trimming, or only a placeholder (`—`, `/`, `**`, `-`).
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || t.chars()
            .all(|c| matches!(c, '—' | '-' | '/' | '*' | '＊' | '／' | '－' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fold() {
        assert_eq!(label_key("其中：财政    资金"), "其中:财政资金");
        assert_eq!(label_key("资金支出计划（%）"), label_key("资金支出计划(%)"));
        assert_eq!(label_key("项目\n编码\t"), "项目编码");
        assert_eq!(label_key("＊指标值"), "指标值");
        assert_eq!(label_key("一级\u{3000}指标"), "一级指标");
    }

    #[test]
    fn comparisons_match_label_key() {
        assert!(same_key("其中：财政    资金", "其中:财政资金"));
        assert!(!same_key("服务对象满意度", "服务对象满意"));
        assert!(key_is_empty(" \t\u{3000}"));
        assert!(
            stem_is("数量 指标", "数量") && stem_is("数量", "数量") && stem_is("数量指标", "数量")
        );
        assert!(
            !stem_is("数量指标x", "数量") && !stem_is("数", "数量") && !stem_is("质量指标", "数量")
        );
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("**"));
        assert!(is_placeholder(" — "));
        assert!(is_placeholder("/"));
        assert!(!is_placeholder("≥**人次"));
        assert!(!is_placeholder("100%"));
    }
}
