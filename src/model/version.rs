//! Semantic versions of the dataset and the rule for what each kind of change requires.

use std::fmt;

/// MAJOR.MINOR.PATCH (no pre-release or build parts: releases are final).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub fn parse(s: &str) -> Option<Version> {
        let mut it = s.split('.');
        let mut part = || -> Option<u64> {
            let p = it.next()?;
            if p.is_empty()
                || (p.len() > 1 && p.starts_with('0'))
                || !p.chars().all(|c| c.is_ascii_digit())
            {
                return None;
            }
            p.parse().ok()
        };
        let v = Version {
            major: part()?,
            minor: part()?,
            patch: part()?,
        };
        if it.next().is_some() { None } else { Some(v) }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_plain_semver() {
        assert_eq!(
            Version::parse("1.2.3"),
            Some(Version {
                major: 1,
                minor: 2,
                patch: 3
            })
        );
        for bad in ["1.2", "1.2.3.4", "01.2.3", "1.2.x", "", "1..3", "v1.2.3"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }
}
