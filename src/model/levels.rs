//! The standard 一级/二级 indicator names (DOMAIN.md §2 R1–R2) and the tests rules use on them.
//!
//! Names are compared by their stem: white space removed, full-width folded, the optional
//! `指标` suffix dropped, so `数量`, `数量指标` and `数量 指标` are one name.

use super::text::stem_is;
use super::Indicator;

/// The standard 一级 names (both frameworks).
pub const LEVEL1: &[&str] = &["产出指标", "效益指标", "满意度指标", "成本指标"];

/// The standard 二级 names under each 一级, plus accepted older variants.
pub const LEVEL2: &[(&str, &[&str])] = &[
    ("产出", &["数量指标", "质量指标", "时效指标", "成本指标"]),
    (
        "效益",
        &[
            "经济效益指标",
            "社会效益指标",
            "生态效益指标",
            "可持续影响指标",
            "环境效益指标",
        ],
    ),
    (
        "满意度",
        &[
            "服务对象满意度指标",
            "社会公众或服务对象满意度指标",
            "满意度指标",
        ],
    ),
    (
        "成本",
        &["经济成本指标", "社会成本指标", "生态环境成本指标"],
    ),
];

/// The standard spelling of a 一级 name written without its suffix (`产出` → `产出指标`).
pub fn standard_level1(name: &str) -> Option<&'static str> {
    LEVEL1.iter().find(|l| stem_is(name, own_stem(l))).copied()
}

/// The standard spelling of a 二级 name under `level1`.
pub fn standard_level2(level1: &str, name: &str) -> Option<&'static str> {
    LEVEL2
        .iter()
        .filter(|(p, _)| stem_is(level1, p))
        .flat_map(|(_, names)| names.iter())
        .find(|l| stem_is(name, own_stem(l)))
        .copied()
}

/// A standard name's stem: the standard names are written plainly, so it is the name less its
/// `指标`. A name in a table is compared with it by [`stem_is`], which builds no string (the
/// rules ask per indicator).
fn own_stem(standard: &'static str) -> &'static str {
    standard.strip_suffix("指标").unwrap_or(standard)
}

impl Indicator {
    pub fn level1_is(&self, s: &str) -> bool {
        super::text::stem_is(&self.level1, s)
    }

    pub fn level2_is(&self, s: &str) -> bool {
        super::text::stem_is(&self.level2, s)
    }

    /// A cost indicator: 二级 成本指标 (88号) or anything under 一级 成本指标 (101号).
    pub fn is_cost(&self) -> bool {
        self.level1_is("成本") || self.level2_is("成本")
    }

    /// A 数量指标 row.
    pub fn is_quantity(&self) -> bool {
        self.level2_is("数量")
    }

    /// A satisfaction indicator (一级 满意度指标, or 满意 in its 二级/三级 name).
    pub fn is_satisfaction(&self) -> bool {
        self.level1_is("满意度") || self.level2.contains("满意") || self.level3.contains("满意")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::text::label_key;

    /// `数量指标` → `数量`: the stem as a string, what the lookups compare without making it.
    fn stem(name: &str) -> String {
        let key = label_key(name);
        key.strip_suffix("指标").map(str::to_string).unwrap_or(key)
    }

    #[test]
    fn stems_and_standard_names() {
        assert_eq!(stem("数量 指标"), "数量");
        assert_eq!(standard_level1("产出"), Some("产出指标"));
        assert_eq!(standard_level1("投入指标"), None);
        assert_eq!(standard_level2("产出指标", "数量"), Some("数量指标"));
        assert_eq!(
            standard_level2("效益指标", "社会效益"),
            Some("社会效益指标")
        );
        assert_eq!(standard_level2("效益指标", "数量指标"), None);
        assert_eq!(
            standard_level2("满意度指标", "服务对象满意度指标"),
            Some("服务对象满意度指标")
        );
    }

    /// The lookups compare stems without building them: the same answers as comparing
    /// [`stem`]s, on names written every way the tables write them.
    #[test]
    fn standard_names_found_as_by_their_stems() {
        let by_stems1 = |name: &str| LEVEL1.iter().find(|l| stem(l) == stem(name)).copied();
        let by_stems2 = |level1: &str, name: &str| {
            LEVEL2
                .iter()
                .filter(|(p, _)| *p == stem(level1))
                .flat_map(|(_, names)| names.iter())
                .find(|l| stem(l) == stem(name))
                .copied()
        };
        let mut names: Vec<String> = Vec::new();
        let all2 = LEVEL2.iter().flat_map(|(_, n)| n.iter());
        for base in LEVEL1
            .iter()
            .chain(all2)
            .copied()
            .chain(["投入指标", "指标", ""])
        {
            let bare = base.strip_suffix("指标").unwrap_or(base);
            for n in [
                base.to_string(),
                bare.to_string(),
                format!(" {bare} 指标 "),
                format!("{bare}指标指标"),
                format!("*{bare}"),
                bare.replace('量', "　量"),
                format!("{bare}x"),
            ] {
                names.push(n);
            }
        }
        for a in &names {
            assert_eq!(standard_level1(a), by_stems1(a), "{a:?}");
            for b in &names {
                assert_eq!(standard_level2(a, b), by_stems2(a, b), "{a:?} {b:?}");
            }
        }
    }
}
