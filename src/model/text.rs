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
    fn placeholders() {
        assert!(is_placeholder("**"));
        assert!(is_placeholder(" — "));
        assert!(is_placeholder("/"));
        assert!(!is_placeholder("≥**人次"));
        assert!(!is_placeholder("100%"));
    }
}
