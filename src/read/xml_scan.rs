//! A worksheet's XML scanned as bytes: tags (by local name, with their raw attributes) and the
//! text between them. A sheet part is a flat run of `<row>` and `<c>` elements; an event
//! reader's general machinery (namespaces, encodings, a buffer per event) was a quarter of
//! `check`'s work. What this gives is what the sheet reader asked quick_xml for.

/// One piece of the XML.
#[derive(Debug, PartialEq)]
pub(super) enum Token<'a> {
    Start(Tag<'a>),
    Empty(Tag<'a>),
    /// An end tag's local name.
    End(&'a [u8]),
    /// Text between tags, as written (entities and line ends not yet resolved).
    Text(&'a [u8]),
}

/// A start or empty tag: its local name (`c` of `x:c`) and what follows the name.
#[derive(Debug, PartialEq)]
pub(super) struct Tag<'a> {
    pub name: &'a [u8],
    attrs: &'a [u8],
}

impl<'a> Tag<'a> {
    /// The tag's attributes as (local name, raw value), up to the first malformed one.
    pub fn attributes(&self) -> Attributes<'a> {
        Attributes { rest: self.attrs }
    }

    /// An attribute's raw value, by local name.
    pub fn attr(&self, name: &[u8]) -> Option<&'a [u8]> {
        self.attributes().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

pub(super) struct Attributes<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.rest.trim_ascii_start();
        let eq = s.iter().position(|&b| b == b'=')?;
        let name = s[..eq].trim_ascii_end();
        let after = s[eq + 1..].trim_ascii_start();
        let quote = *after.first().filter(|q| matches!(q, b'"' | b'\''))?;
        let len = after[1..].iter().position(|&b| b == quote)?;
        self.rest = &after[len + 2..];
        Some((local(name), &after[1..1 + len]))
    }
}

/// A name without its namespace prefix. (Names, tags and attribute values are a few bytes
/// long: they are searched byte by byte, which costs less than a vectorized search's set-up.)
fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// Why the XML could not be read.
pub(super) type Malformed = &'static str;

/// The tokens of an XML document, in order; comments, processing instructions, declarations
/// and CDATA sections are passed over (the sheet reader never used their content).
pub(super) struct Scanner<'a> {
    xml: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(xml: &'a [u8]) -> Scanner<'a> {
        Scanner { xml, at: 0 }
    }

    /// The next token; `None` at the end.
    #[allow(clippy::should_implement_trait)] // fallible: not an Iterator
    pub fn next(&mut self) -> Result<Option<Token<'a>>, Malformed> {
        loop {
            let rest = &self.xml[self.at.min(self.xml.len())..];
            if rest.is_empty() {
                return Ok(None);
            }
            if rest[0] != b'<' {
                let len = memchr::memchr(b'<', rest).unwrap_or(rest.len());
                self.at += len;
                return Ok(Some(Token::Text(&rest[..len])));
            }
            let skip_past = |end: &[u8]| {
                memchr::memmem::find(rest, end)
                    .map(|i| i + end.len())
                    .ok_or("XML 在注释或声明中结束")
            };
            match rest.get(1) {
                Some(b'?') => self.at += skip_past(b"?>")?,
                Some(b'!') if rest.starts_with(b"<!--") => self.at += skip_past(b"-->")?,
                Some(b'!') if rest.starts_with(b"<![CDATA[") => self.at += skip_past(b"]]>")?,
                Some(b'!') => self.at += declaration_len(rest)?,
                Some(b'/') => {
                    let len = rest
                        .iter()
                        .position(|&b| b == b'>')
                        .ok_or("XML 在结束标签中结束")?;
                    self.at += len + 1;
                    return Ok(Some(Token::End(local(rest[2..len].trim_ascii()))));
                }
                _ => {
                    let len = tag_len(rest).ok_or("XML 在标签中结束")?;
                    self.at += len;
                    let inside = &rest[1..len - 1];
                    let (inside, empty) = match inside.strip_suffix(b"/") {
                        Some(i) => (i, true),
                        None => (inside, false),
                    };
                    let name_len = inside
                        .iter()
                        .position(|b| b.is_ascii_whitespace())
                        .unwrap_or(inside.len());
                    if name_len == 0 {
                        return Err("XML 标签没有名字");
                    }
                    let tag = Tag {
                        name: local(&inside[..name_len]),
                        attrs: &inside[name_len..],
                    };
                    return Ok(Some(if empty {
                        Token::Empty(tag)
                    } else {
                        Token::Start(tag)
                    }));
                }
            }
        }
    }
}

/// The length of a tag starting at `s[0] == b'<'`, through its `>`: a `>` inside a quoted
/// attribute value does not end it.
fn tag_len(s: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in s.iter().enumerate().skip(1) {
        match (quote, b) {
            (None, b'>') => return Some(i + 1),
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            _ => {}
        }
    }
    None
}

/// The length of `<!DOCTYPE …>`, whose internal subset (`[…]`) may hold `>`.
fn declaration_len(s: &[u8]) -> Result<usize, Malformed> {
    let mut depth = 0usize;
    for (i, &b) in s.iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'>' if depth == 0 => return Ok(i + 1),
            _ => {}
        }
    }
    Err("XML 在声明中结束")
}

/// Appends text as XML 1.0 reads it: `&amp;`-style and numeric references resolved (an unknown
/// one dropped), `\r\n` and a lone `\r` read as `\n`; invalid UTF-8 as U+FFFD.
pub(super) fn push_text(raw: &[u8], out: &mut String) {
    let mut rest = raw;
    while let Some(i) = memchr::memchr2(b'&', b'\r', rest) {
        push_utf8(&rest[..i], out);
        if rest[i] == b'\r' {
            out.push('\n');
            rest = &rest[i + 1..];
            if rest.first() == Some(&b'\n') {
                rest = &rest[1..];
            }
            continue;
        }
        let after = &rest[i + 1..];
        match memchr::memchr(b';', after).filter(|&end| end <= 32) {
            Some(end) => {
                if let Some(c) = entity(&after[..end]) {
                    out.push_str(c.encode_utf8(&mut [0; 4]));
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    push_utf8(rest, out);
}

/// An attribute's value as XML reads it: references resolved, each tab and line end a space.
pub(super) fn attr_text(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    push_text(raw, &mut out);
    if out.contains(['\t', '\n']) {
        out = out.replace(['\t', '\n'], " ");
    }
    out
}

fn push_utf8(bytes: &[u8], out: &mut String) {
    match std::str::from_utf8(bytes) {
        Ok(s) => out.push_str(s),
        Err(_) => out.push_str(&String::from_utf8_lossy(bytes)),
    }
}

/// The character a reference names: `amp`, `#65`, `#x41`.
fn entity(name: &[u8]) -> Option<char> {
    match name {
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"amp" => Some('&'),
        b"apos" => Some('\''),
        b"quot" => Some('"'),
        [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32),
        [b'#', dec @ ..] => std::str::from_utf8(dec)
            .ok()
            .and_then(|d| d.parse().ok())
            .and_then(char::from_u32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(xml: &str) -> Vec<String> {
        let mut scan = Scanner::new(xml.as_bytes());
        let mut out = Vec::new();
        while let Some(t) = scan.next().expect("well-formed") {
            let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            let kind = if matches!(t, Token::Empty(_)) {
                "/"
            } else {
                ""
            };
            out.push(match t {
                Token::Start(tag) | Token::Empty(tag) => {
                    let attrs: Vec<String> = tag
                        .attributes()
                        .map(|(k, v)| format!("{}={}", s(k), s(v)))
                        .collect();
                    format!("<{}{kind} {}>", s(tag.name), attrs.join(" "))
                }
                Token::End(name) => format!("</{}>", s(name)),
                Token::Text(text) => s(text),
            });
        }
        out
    }

    #[test]
    fn tags_by_local_name_with_their_attributes() {
        assert_eq!(
            tokens(
                "<?xml version=\"1.0\"?><!-- a > b --><x:row r=\"3\" spans='1:2'>\
                 <x:c r = \"B3\" t=\"s\" s=\"4\"><v>7</v></x:c><c r=\"C3\"/></x:row>"
            ),
            [
                "<row r=3 spans=1:2>",
                "<c r=B3 t=s s=4>",
                "<v >",
                "7",
                "</v>",
                "</c>",
                "<c/ r=C3>",
                "</row>",
            ]
        );
    }

    #[test]
    fn a_quoted_greater_than_does_not_end_a_tag() {
        assert_eq!(
            tokens(
                "<f ref=\"A1>B2\" t='a>b'>x</f><![CDATA[<c>]]><!DOCTYPE s [<!ENTITY e \">\">]>y"
            ),
            ["<f ref=A1>B2 t=a>b>", "x", "</f>", "y"]
        );
    }

    #[test]
    fn unterminated_markup_is_malformed() {
        for bad in [
            "<c r=\"A1\"",
            "<c r=\"A1>",
            "</c",
            "<!-- open",
            "<>",
            "<?xml",
        ] {
            let mut scan = Scanner::new(bad.as_bytes());
            assert!(scan.next().is_err(), "{bad}");
        }
    }

    #[test]
    fn text_as_xml_reads_it() {
        let mut out = String::new();
        push_text(
            "a&amp;b&lt;&#65;&#x4e2d;&nope;\r\nc\rd & e".as_bytes(),
            &mut out,
        );
        assert_eq!(out, "a&b<A中\nc\nd & e");
        let mut bad = String::new();
        push_text(b"\xff1", &mut bad);
        assert_eq!(bad, "\u{fffd}1");
        assert_eq!(attr_text(b"a&amp;b\r\nc\td"), "a&b c d");
    }
}
