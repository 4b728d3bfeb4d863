//! A compilation's transcription split into printed tokens, indexed by line.
//!
//! Tokens are the whitespace-separated words of each line. The PDF conversion's Markdown `**`
//! emphasis marks are not part of any token. Lines and spans are 1-based, as curators cite them.

/// One printed token and the line it stands on.
#[derive(Debug, Clone)]
pub struct PrintedToken {
    pub text: String,
    pub line: u32,
}

/// The tokens of a transcription, indexed by line.
#[derive(Debug, Clone)]
pub struct Transcription {
    pub tokens: Vec<PrintedToken>,
    /// `line_token_start[n]` is the index of the first token on line n+1 (one extra entry at the end).
    line_token_start: Vec<usize>,
    pub lines: Vec<String>,
}

impl Transcription {
    pub fn new(text: &str) -> Transcription {
        let mut tokens = Vec::new();
        let mut line_token_start = Vec::new();
        let mut lines = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            line_token_start.push(tokens.len());
            lines.push(line.to_string());
            let cleaned = line.replace("**", "");
            for tok in cleaned.split_whitespace() {
                tokens.push(PrintedToken {
                    text: tok.to_string(),
                    // A transcription of more than 4 billion lines is not a book.
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                });
            }
        }
        line_token_start.push(tokens.len());
        Transcription {
            tokens,
            line_token_start,
            lines,
        }
    }

    pub fn line_count(&self) -> u32 {
        // A final newline does not start another line.
        let n = u32::try_from(self.lines.len()).unwrap_or(u32::MAX);
        if self.lines.last().is_some_and(|l| l.is_empty()) {
            n - 1
        } else {
            n
        }
    }

    /// Tokens of lines `first..=last` (1-based).
    pub fn span(&self, first: u32, last: u32) -> &[PrintedToken] {
        let a = self
            .line_token_start
            .get(first.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0);
        let b = self
            .line_token_start
            .get(last as usize)
            .copied()
            .unwrap_or(self.tokens.len());
        self.tokens.get(a.min(b)..b).unwrap_or(&[])
    }

    pub fn line(&self, n: u32) -> &str {
        self.lines
            .get(n.saturating_sub(1) as usize)
            .map(String::as_str)
            .unwrap_or("")
    }
}
