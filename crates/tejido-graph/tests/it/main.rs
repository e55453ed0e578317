//! Integration tests of tejido-graph: agreement with NetworkX on committed fixtures, readers and
//! writers, and properties that must hold on any graph.

#![allow(clippy::unwrap_used)]

mod fixtures;
mod io;
mod properties;
mod report;
mod support;
