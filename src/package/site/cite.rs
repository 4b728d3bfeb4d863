//! The citations a record page offers: the same `package::citation` model and formats as
//! `khojaly cite` and the release's citations.json / citations.ris, so the site, the CLI and the
//! release files always agree.

use serde_json::Value;

use super::Site;
use crate::model::Record;
use crate::package::citation::{self, Citation};

/// The citation of `r`: the document, its printings and this release.
pub fn of(site: &Site, r: &Record) -> Citation {
    Citation::new(
        r,
        site.corpus.agents.get(&r.body),
        &site.compilations,
        site.cited.clone(),
    )
}

/// CSL-JSON (an array of one item, as citation managers import it).
pub fn csl_json(c: &Citation) -> String {
    let mut s = serde_json::to_string_pretty(&Value::Array(vec![citation::csl::item(c)]))
        .unwrap_or_default();
    s.push('\n');
    s
}

/// RIS, one reference.
pub fn ris(c: &Citation) -> String {
    citation::ris::reference(c)
}
