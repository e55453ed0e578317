//! The error type of the crate. Parse errors carry the line number of every malformed line, so a
//! user can fix a file in one pass; nothing partial is ever returned alongside them.

use std::fmt;

/// One malformed line (or XML element) in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number in the input file.
    pub line: usize,
    /// What was wrong with it.
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// The input could not be read.
    #[error("cannot read {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Writing output failed.
    #[error("cannot write output: {0}")]
    Write(#[from] std::io::Error),
    /// One or more malformed lines; every one of them is listed.
    #[error("{} malformed line(s) in {source_name}:\n{}", errors.len(), format_errors(errors))]
    Parse {
        source_name: String,
        errors: Vec<LineError>,
    },
    /// The file format could not be guessed from the file name.
    #[error("cannot tell the format of {0}; pass --format")]
    UnknownFormat(String),
    /// A measure was asked for by a name we do not know.
    #[error("unknown measure {0:?}")]
    UnknownMeasure(String),
    /// Invalid argument to a measure.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Serializing the report failed.
    #[error("cannot serialize output: {0}")]
    Json(#[from] serde_json::Error),
}

fn format_errors(errors: &[LineError]) -> String {
    const SHOWN: usize = 50;
    let mut out = errors
        .iter()
        .take(SHOWN)
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n");
    if errors.len() > SHOWN {
        out.push_str(&format!("\n  ... and {} more", errors.len() - SHOWN));
    }
    out
}

/// The crate's result type.
pub type Result<T, E = GraphError> = std::result::Result<T, E>;
