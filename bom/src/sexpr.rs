//! The S-expression syntax KiCad writes its files in: lists in
//! parentheses, bare atoms, and double-quoted strings with backslash
//! escapes. Bounded (nesting depth, number of nodes) and never panics on
//! any input; every node knows the line it starts on, for error messages.

use std::fmt;

/// Deepest nesting read (KiCad's own files stay under 20).
pub const MAX_DEPTH: usize = 100;
/// Most nodes read from one file (a large real schematic has about a
/// million; this bounds the memory a hostile file can take).
pub const MAX_NODES: usize = 5_000_000;

/// One node: a list or an atom (a bare word or a quoted string, unquoted).
#[derive(Debug, Clone, PartialEq)]
pub enum Sexp {
    List { items: Vec<Sexp>, line: usize },
    Atom { text: String, line: usize },
}

/// What is wrong with the text, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

impl Sexp {
    pub fn line(&self) -> usize {
        match self {
            Sexp::List { line, .. } | Sexp::Atom { line, .. } => *line,
        }
    }

    /// The list's head word (`symbol` in `(symbol …)`).
    pub fn head(&self) -> Option<&str> {
        match self {
            Sexp::List { items, .. } => items.first().and_then(Sexp::atom),
            Sexp::Atom { .. } => None,
        }
    }

    pub fn atom(&self) -> Option<&str> {
        match self {
            Sexp::Atom { text, .. } => Some(text),
            Sexp::List { .. } => None,
        }
    }

    /// The items after the head.
    pub fn args(&self) -> &[Sexp] {
        match self {
            Sexp::List { items, .. } if !items.is_empty() => &items[1..],
            _ => &[],
        }
    }

    /// Child lists with this head.
    pub fn children<'a>(&'a self, head: &'a str) -> impl Iterator<Item = &'a Sexp> + 'a {
        let args: &'a [Sexp] = self.args();
        args.iter().filter(move |c| c.head() == Some(head))
    }

    pub fn child(&self, head: &str) -> Option<&Sexp> {
        self.args().iter().find(|c| c.head() == Some(head))
    }

    /// The first atom of the child list `head`: `(in_bom yes)` → "yes".
    pub fn value_of(&self, head: &str) -> Option<&str> {
        self.child(head)
            .and_then(|c| c.args().first())
            .and_then(Sexp::atom)
    }
}

impl fmt::Display for Sexp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sexp::Atom { text, .. } => write!(f, "{text:?}"),
            Sexp::List { items, .. } => {
                write!(f, "(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, " ")?;
                    }
                    write!(f, "{item}")?;
                }
                write!(f, ")")
            }
        }
    }
}

/// Reads one top-level list (what follows it may only be white space).
pub fn parse(text: &str) -> Result<Sexp, SyntaxError> {
    let mut p = Parser {
        chars: text.char_indices().peekable(),
        text,
        line: 1,
        nodes: 0,
    };
    p.skip_space();
    let root = match p.chars.peek() {
        Some((_, '(')) => p.list()?,
        Some(_) => return Err(p.error("expected “(” at the start")),
        None => return Err(p.error("the file is empty")),
    };
    p.skip_space();
    if p.chars.peek().is_some() {
        return Err(p.error("text after the closing parenthesis"));
    }
    Ok(root)
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    line: usize,
    nodes: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            line: self.line,
            message: message.to_owned(),
        }
    }

    fn next(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn skip_space(&mut self) {
        while let Some(&(_, c)) = self.chars.peek() {
            if c.is_whitespace() {
                self.next();
            } else {
                break;
            }
        }
    }

    fn count(&mut self) -> Result<(), SyntaxError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(self.error(&format!("more than {MAX_NODES} items")));
        }
        Ok(())
    }

    /// A list, iteratively (a stack of open lists), so depth never uses
    /// the call stack.
    fn list(&mut self) -> Result<Sexp, SyntaxError> {
        let mut stack: Vec<(Vec<Sexp>, usize)> = Vec::new();
        loop {
            self.skip_space();
            let Some(&(_, c)) = self.chars.peek() else {
                let open = stack.last().map_or(self.line, |(_, l)| *l);
                return Err(SyntaxError {
                    line: self.line,
                    message: format!(
                        "the file ends inside a list opened on line {open} (truncated?)"
                    ),
                });
            };
            match c {
                '(' => {
                    self.next();
                    self.count()?;
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.error(&format!("nested deeper than {MAX_DEPTH}")));
                    }
                    stack.push((Vec::new(), self.line));
                }
                ')' => {
                    self.next();
                    let Some((items, line)) = stack.pop() else {
                        return Err(self.error("“)” without a matching “(”"));
                    };
                    let node = Sexp::List { items, line };
                    match stack.last_mut() {
                        Some((parent, _)) => parent.push(node),
                        None => return Ok(node),
                    }
                }
                _ => {
                    if stack.is_empty() {
                        return Err(self.error("expected “(”"));
                    }
                    self.count()?;
                    let line = self.line;
                    let text = if c == '"' {
                        self.string()?
                    } else {
                        self.bare()
                    };
                    if let Some((parent, _)) = stack.last_mut() {
                        parent.push(Sexp::Atom { text, line });
                    }
                }
            }
        }
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        let start_line = self.line;
        self.next(); // the opening quote
        let mut out = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(SyntaxError {
                        line: self.line,
                        message: format!("a string opened on line {start_line} never ends"),
                    });
                }
                Some('"') => return Ok(out),
                Some('\\') => match self.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some(other) => out.push(other),
                    None => {
                        return Err(self.error("the file ends inside a string"));
                    }
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn bare(&mut self) -> String {
        let start = self.chars.peek().map_or(self.text.len(), |(i, _)| *i);
        let mut end = start;
        while let Some(&(i, c)) = self.chars.peek() {
            if c.is_whitespace() || c == '(' || c == ')' || c == '"' {
                break;
            }
            end = i + c.len_utf8();
            self.next();
        }
        self.text[start..end].to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_atoms_and_strings_are_read_with_their_lines() {
        let s = parse("(kicad_sch (version 20231120)\n  (property \"Value\" \"10k \\\"x\\\"\"))")
            .expect("parse");
        assert_eq!(s.head(), Some("kicad_sch"));
        assert_eq!(s.value_of("version"), Some("20231120"));
        let p = s.child("property").expect("property");
        assert_eq!(p.line(), 2);
        assert_eq!(p.args()[1].atom(), Some("10k \"x\""));
    }

    #[test]
    fn broken_text_says_what_and_where() {
        for (text, line, words) in [
            ("", 1, "empty"),
            ("kicad_sch", 1, "expected"),
            ("(a (b \"c)\n", 2, "opened on line 1 never ends"),
            ("(a\n(b\n", 3, "opened on line 2"),
            ("(a))", 1, "text after"),
            ("(a) b", 1, "text after"),
        ] {
            let e = parse(text).expect_err(text);
            assert_eq!(e.line, line, "{text:?}: {e}");
            assert!(e.message.contains(words), "{text:?}: {e}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let text = "(".repeat(1_000_000);
        let e = parse(&text).expect_err("too deep");
        assert!(e.message.contains("nested deeper"), "{e}");
        let ok = format!("{}{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }
}
