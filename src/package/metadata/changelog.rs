//! `CHANGELOG.md`: what changed since the previous published version, from data/releases/.

use crate::package::facts::ReleaseFacts;

pub fn changelog(f: &ReleaseFacts) -> String {
    let ds = f.dataset;
    let mut s = format!(
        "# Changelog of {}\n\n## {} ({})\n\n",
        ds.title, ds.version, f.date
    );
    if let Some(notes) = &ds.release_notes {
        s.push_str(notes.trim_end());
        s.push_str("\n\n");
    }
    match &f.changes {
        None => s.push_str(&format!(
            "First published version: {} records.\n",
            f.counts.records
        )),
        Some(c) => {
            s.push_str(&format!(
                "Compared with version {} ({}): {}.\n",
                c.previous,
                c.previous_date,
                c.summary()
            ));
            for (title, ids) in [
                ("Added", &c.added),
                ("Withdrawn", &c.withdrawn),
                ("Changed", &c.changed),
                ("Claims added", &c.claims_added),
                ("Claims withdrawn", &c.claims_withdrawn),
                ("Claims changed", &c.claims_changed),
            ] {
                if ids.is_empty() {
                    continue;
                }
                s.push_str(&format!("\n### {title} ({})\n\n", ids.len()));
                for id in ids.listed() {
                    s.push_str(&format!("- `{id}`\n"));
                }
                if ids.unlisted() > 0 {
                    s.push_str(&format!(
                        "- … and {} more (`khojaly diff OLD NEW` lists them all)\n",
                        ids.unlisted()
                    ));
                }
            }
            s.push_str("\n`khojaly diff OLD NEW` on the two release directories shows the changed fields and texts.\n");
        }
    }
    s
}
