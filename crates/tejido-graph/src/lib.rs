//! Network analysis for Tejido's relationship maps: a compact graph (string ids outside, `u32`
//! ids and CSR adjacency inside) and the measures of METHODS.md, "Relationships", computed with
//! NetworkX 3.x conventions so that results agree with NetworkX to floating-point noise. Readers
//! and writers for edge lists, CSV, GraphML, GEXF and JSON, and the [`report`] that the
//! `tejido sna` command prints. Pure Rust, parallel with rayon, and no knowledge of the web
//! application or its database.

pub mod brokerage;
pub mod centrality;
pub mod clustering;
pub mod community;
pub mod components;
pub mod error;
pub mod graph;
pub mod io;
mod par;
pub mod progress;
pub mod report;
pub mod rng;
pub mod structural_holes;

pub use error::{GraphError, LineError, Result};
pub use graph::{Attributes, Graph, GraphBuilder};
pub use report::{analyze, Measure, Options, Report};
