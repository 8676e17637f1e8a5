//! Java `.properties` parsing: pure, bytes in, line-numbered entries out.
//!
//! The syntax work (separators, comments, continuations, escapes) is done by the `java-properties`
//! crate, which matches `java.util.Properties.load`. Two things are added here:
//! - decoding: UTF-8 when the bytes are valid UTF-8, else ISO-8859-1 (Java's rule; the crate's
//!   default is windows-1252, which differs for 0x80..0x9F);
//! - comments are skipped the way Java skips them: the crate unescapes comment text too, so a
//!   comment such as `# C:\users\me` would otherwise make the whole file unreadable.

use std::borrow::Cow;

use java_properties::{LineContent, PropertiesIter};

/// One `key=value` pair, with the 1-based line where its logical line starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// A syntax error (today only a malformed `\uXXXX` escape). Never contains file content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: Option<usize>,
    pub message: String,
}

/// Decode a properties file: UTF-8 if valid, else ISO-8859-1 (every byte is one code point).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// Parse a whole file. Entries come in file order; duplicates are all returned (last wins is
/// the caller's job, so it can warn about them).
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, SyntaxError> {
    let mut text = decode(bytes).into_owned();
    // Each retry blanks one comment line, so this loop ends.
    loop {
        match parse_text(&text) {
            Ok(entries) => return Ok(entries),
            Err(e) => match e.line.and_then(|n| blank_comment_line(&text, n)) {
                Some(fixed) => text = fixed,
                None => return Err(e),
            },
        }
    }
}

fn parse_text(text: &str) -> Result<Vec<Entry>, SyntaxError> {
    let mut entries = Vec::new();
    for line in PropertiesIter::new_with_encoding(text.as_bytes(), encoding_rs::UTF_8) {
        let line = line.map_err(|e| SyntaxError {
            line: e.line_number(),
            // The crate appends " (line_number = N)"; we report the line ourselves.
            message: e
                .to_string()
                .split(" (line_number")
                .next()
                .unwrap_or_default()
                .to_string(),
        })?;
        let number = line.line_number();
        if let LineContent::KVPair(key, value) = line.consume_content() {
            entries.push(Entry {
                key,
                value,
                line: number,
            });
        }
    }
    Ok(entries)
}

/// If natural line `n` (1-based) is a comment, return `text` with that line emptied (line count
/// unchanged). The crate reports errors at the first line of a logical line, and a comment is
/// always a whole logical line, so a comment-looking line at that number really is a comment.
fn blank_comment_line(text: &str, n: usize) -> Option<String> {
    let (start, end) = natural_line_span(text, n)?;
    let line = &text[start..end];
    let is_comment = line
        .trim_start_matches([' ', '\t', '\x0c'])
        .starts_with(['#', '!']);
    if !is_comment || line.is_empty() {
        return None;
    }
    Some(format!("{}{}", &text[..start], &text[end..]))
}

/// Byte span (without terminator) of natural line `n`, where `\n`, `\r` and `\r\n` end lines.
fn natural_line_span(text: &str, n: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let (mut line, mut start, mut i) = (1, 0, 0);
    while i < bytes.len() {
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            if line == n {
                return Some((start, i));
            }
            i += if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            line += 1;
            start = i;
        } else {
            i += 1;
        }
    }
    (line == n).then_some((start, bytes.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(text: &str) -> Vec<(String, String, usize)> {
        parse(text.as_bytes())
            .unwrap()
            .into_iter()
            .map(|e| (e.key, e.value, e.line))
            .collect()
    }

    fn pairs(text: &str) -> Vec<(String, String)> {
        kv(text).into_iter().map(|(k, v, _)| (k, v)).collect()
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn comments_and_separators() {
        let text = "# hash comment\n! bang comment\n   # indented\n\t! indented bang\na=1\nb:2\nc 3\nd\t4\n  e = 5\nf:=6\n";
        assert_eq!(
            pairs(text),
            vec![
                p("a", "1"),
                p("b", "2"),
                p("c", "3"),
                p("d", "4"),
                p("e", "5"),
                p("f", "=6")
            ]
        );
    }

    #[test]
    fn values_keep_hash_and_equals() {
        assert_eq!(
            pairs("secret=abc#def==\nurl=http://h/?a=b#frag\n"),
            vec![p("secret", "abc#def=="), p("url", "http://h/?a=b#frag")]
        );
    }

    #[test]
    fn continuation_lines_and_line_numbers() {
        let text = "a=one\\\n    two\\\n  three\nb=x\n";
        assert_eq!(
            kv(text),
            vec![
                ("a".into(), "onetwothree".into(), 1),
                ("b".into(), "x".into(), 4)
            ]
        );
    }

    #[test]
    fn unicode_escapes_and_crlf() {
        let text = "name=caf\\u00e9\r\nnext=v\r\n\r\nlast=z";
        assert_eq!(
            kv(text),
            vec![
                ("name".into(), "café".into(), 1),
                ("next".into(), "v".into(), 2),
                ("last".into(), "z".into(), 4)
            ]
        );
    }

    #[test]
    fn duplicates_are_all_returned_in_order() {
        assert_eq!(pairs("k=1\nk=2\n"), vec![p("k", "1"), p("k", "2")]);
    }

    #[test]
    fn utf8_else_latin1() {
        assert_eq!(pairs("k=中文\n"), vec![p("k", "中文")]);
        // 0xE9 alone is not UTF-8 -> ISO-8859-1 é; 0x80 -> U+0080 (not windows-1252's euro sign).
        assert_eq!(
            parse(b"k=caf\xe9\x80\n").unwrap()[0].value,
            "caf\u{e9}\u{80}"
        );
    }

    #[test]
    fn malformed_unicode_escape_reports_line() {
        let e = parse(b"a=1\nclient_key_private_key_path=C:\\users\\me\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("uxxxx"), "{}", e.message);
    }

    #[test]
    fn comments_with_backslashes_do_not_break_the_file() {
        // Java never unescapes comments; the crate does, so these would fail without the retry.
        let text = "# C:\\users\\me\r\n! \\uZZZZ\na=1\n";
        assert_eq!(kv(text), vec![("a".into(), "1".into(), 3)]);
    }

    #[test]
    fn windows_single_backslashes_are_eaten_like_java() {
        assert_eq!(pairs("p=C:\\dir\\file\n"), vec![p("p", "C:dir\x0cile")]);
        assert_eq!(
            pairs("p=C:\\\\dir\\\\file\n"),
            vec![p("p", "C:\\dir\\file")]
        );
    }
}
