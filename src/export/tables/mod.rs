//! The release tables, one module each (its row type, its columns and how rows are made), and
//! the one list of them, `all`.

pub mod agents;
pub mod appearances;
pub mod claims;
pub mod compilations;
pub mod emendations;
pub mod footnotes;
pub mod kinds;
pub mod omissions;
pub mod parallel_texts;
pub mod records;
pub mod variants;

use anyhow::Result;

use super::table::{TableRow, TableSpec};
use crate::model::{Agent, Compilation, Record, Registry};

pub use crate::compare::printing::Coverage;

/// What rows are made from: each record as it streams past, then each agent and compilation.
pub enum Source<'a> {
    Record {
        record: &'a Record,
        /// Every agent (the record's issuer among them).
        agents: &'a Registry,
        /// What validation proved of each printing, in the record's order.
        coverage: &'a [Coverage],
        /// The word diffs validation made of pairs of printings (by appearance index).
        diffs: &'a crate::compare::printing::PairHunks,
        /// Where validation found each claim's quote (by claim index); a claim past its end is
        /// located again.
        quotes: &'a [Option<crate::model::claim::QuoteSpan>],
    },
    Agent(&'a Agent),
    Compilation {
        compilation: &'a Compilation,
        /// Lines in the compilation's transcription.
        line_count: u32,
    },
}

/// Takes a table's rows, one after another.
pub type PushRow<'a> = dyn FnMut(&dyn TableRow) -> Result<()> + 'a;

/// One release table: its spec and the rows each source gives it.
pub trait Table {
    fn spec(&self) -> TableSpec;

    /// Passes `push` the rows `source` gives this table, in order (none when the table is not
    /// made from that source).
    fn write_rows(&self, source: &Source<'_>, push: &mut PushRow<'_>) -> Result<()>;
}

/// Every table of a release, in the order metadata lists them.
pub fn all() -> Vec<Box<dyn Table>> {
    let mut tables: Vec<Box<dyn Table>> = vec![
        Box::new(records::Records),
        Box::new(claims::Claims),
        Box::new(appearances::Appearances),
        Box::new(emendations::Emendations),
        Box::new(omissions::Omissions),
        Box::new(footnotes::Footnotes),
        Box::new(parallel_texts::ParallelTexts),
        Box::new(variants::Variants),
        Box::new(agents::Agents),
        Box::new(agents::AgentNames),
        Box::new(compilations::Compilations),
    ];
    tables.extend(kinds::tables());
    tables
}

/// Pushes every row of `rows`.
fn push_all<R: TableRow>(rows: impl IntoIterator<Item = R>, push: &mut PushRow<'_>) -> Result<()> {
    for row in rows {
        push(&row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_unique_names_and_keys_among_their_columns() {
        let specs: Vec<TableSpec> = all().iter().map(|t| t.spec()).collect();
        let mut names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), specs.len());
        for spec in &specs {
            assert!(!spec.columns.is_empty());
            let columns = spec.column_names();
            let keys = spec
                .primary_key
                .iter()
                .chain(spec.foreign_keys.iter().flat_map(|fk| &fk.columns));
            for k in keys {
                assert!(columns.contains(&k.as_str()), "{}: {k}", spec.name);
            }
        }
    }
}
