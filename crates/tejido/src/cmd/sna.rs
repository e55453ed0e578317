//! `tejido sna`: social network analysis of a graph file from the command line. Reads an edge
//! list, CSV, GraphML or GEXF file, runs the measures of METHODS.md ("Relationships") with
//! `tejido-graph`, and prints one JSON object (or one CSV row per node). All the work lives in
//! the library; this file only maps flags to it.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use tejido_graph::io::{self, Format};
use tejido_graph::report::{self, Measure, Options, OutputFormat};

/// Input file formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Guess from the file extension (.csv, .graphml, .gexf; anything else is an edge list).
    Auto,
    /// Whitespace-separated `source target [weight]` lines; `#` starts a comment.
    Edgelist,
    /// CSV with a header: `source,target[,weight]` plus attribute columns.
    Csv,
    /// GraphML.
    Graphml,
    /// GEXF.
    Gexf,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Format {
        match f {
            InputFormat::Auto => Format::Auto,
            InputFormat::Edgelist => Format::EdgeList,
            InputFormat::Csv => Format::Csv,
            InputFormat::Graphml => Format::GraphMl,
            InputFormat::Gexf => Format::Gexf,
        }
    }
}

/// Output formats.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    /// One JSON object with "graph" (whole-network measures) and "nodes" (one object per node).
    Json,
    /// One CSV row per node.
    Csv,
}

/// Network analysis of a relationship map: centralities, clustering, components, communities,
/// structural holes and brokerage, with NetworkX's conventions.
#[derive(clap::Args, Debug)]
pub struct SnaArgs {
    /// Graph file to analyze.
    #[arg(long, value_name = "PATH")]
    pub input: PathBuf,

    /// Format of the input file.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub format: InputFormat,

    /// CSV file of nodes: an `id` column plus attribute columns (e.g. sector, member).
    #[arg(long, value_name = "PATH")]
    pub nodes: Option<PathBuf>,

    /// Treat edges as directed (GraphML and GEXF files may also declare it).
    #[arg(long)]
    pub directed: bool,

    /// Measures to compute: `all`, `none`, or a comma-separated list of density, degree,
    /// centralization, betweenness, closeness, eigenvector, pagerank, clustering, transitivity,
    /// components, communities, structural_holes, brokerage, ei_index.
    #[arg(long, value_name = "all|LIST", default_value = "all")]
    pub measures: String,

    /// Node attribute that names each node's group (for brokerage roles and the E-I index).
    #[arg(long, value_name = "NAME")]
    pub group_attribute: Option<String>,

    /// Seed for Louvain communities and sampled betweenness; the same seed gives the same result.
    #[arg(long, value_name = "N", default_value_t = 42)]
    pub seed: u64,

    /// Estimate betweenness from K randomly chosen pivot nodes instead of all (very large graphs).
    #[arg(long, value_name = "K")]
    pub betweenness_samples: Option<usize>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputKind::Json)]
    pub output: OutputKind,

    /// Write the output to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// Run `tejido sna`.
pub fn run(args: SnaArgs) -> anyhow::Result<()> {
    let measures = Measure::parse_list(&args.measures)?;
    let graph = io::read_path(
        &args.input,
        args.format.into(),
        args.nodes.as_deref(),
        args.directed,
    )?;
    let options = Options {
        measures,
        group_attribute: args.group_attribute,
        seed: args.seed,
        betweenness_samples: args.betweenness_samples,
        progress: true,
    };
    let report = report::analyze(&graph, &options)?;
    let format = match args.output {
        OutputKind::Json => OutputFormat::Json,
        OutputKind::Csv => OutputFormat::Csv,
    };
    match &args.out {
        Some(path) => {
            let mut file =
                File::create(path).with_context(|| format!("creating {}", path.display()))?;
            report::write_report(&report, format, &mut file)?;
            file.flush()?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            report::write_report(&report, format, &mut lock)?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        args: SnaArgs,
    }

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_every_flag() {
        let cli = Cli::try_parse_from([
            "sna",
            "--input",
            "g.csv",
            "--format",
            "csv",
            "--nodes",
            "n.csv",
            "--directed",
            "--measures",
            "betweenness,pagerank",
            "--group-attribute",
            "sector",
            "--seed",
            "7",
            "--output",
            "csv",
            "--out",
            "o.csv",
        ])
        .unwrap();
        assert_eq!(cli.args.format, InputFormat::Csv);
        assert!(cli.args.directed);
        assert_eq!(cli.args.seed, 7);
        assert_eq!(cli.args.output, OutputKind::Csv);
        assert_eq!(Measure::parse_list(&cli.args.measures).unwrap().len(), 2);
    }

    #[test]
    fn analyzes_a_file_end_to_end() {
        let dir = std::env::temp_dir().join(format!("tejido-sna-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("g.txt");
        std::fs::write(&input, "a b\nb c\nc a\nc d\n").unwrap();
        let out = dir.join("r.json");
        let cli = Cli::try_parse_from([
            "sna",
            "--input",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .unwrap();
        run(cli.args).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(v["graph"]["nodes"], 4);
        assert_eq!(v["nodes"][2]["id"], "c");
        assert!((v["nodes"][2]["betweenness"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
