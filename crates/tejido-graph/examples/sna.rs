//! Runs `tejido-graph` the way `tejido sna` does, for benchmarks and for trying the library before
//! the `tejido` binary exists: the same flags (`--input`, `--format`, `--nodes`, `--directed`,
//! `--measures`, `--group-attribute`, `--seed`, `--output`, `--out`), parsed by hand to keep clap
//! out of this crate, plus `--timings`, which prints load and per-measure seconds and the peak
//! resident memory as one JSON line on stderr.
//!
//! cargo run --release --example sna -- --input graph.txt --measures betweenness --timings

use std::path::PathBuf;
use std::time::Instant;

use tejido_graph::io::{self, Format};
use tejido_graph::report::{self, Measure, Options, OutputFormat};

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut input, mut format, mut nodes, mut directed) = (None, Format::Auto, None, false);
    let (mut measures, mut group, mut seed, mut output, mut out, mut timings, mut samples) = (
        "all".to_owned(),
        None,
        42u64,
        OutputFormat::Json,
        None,
        false,
        None,
    );
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--input" => input = Some(PathBuf::from(value()?)),
            "--format" => format = value()?.parse()?,
            "--nodes" => nodes = Some(PathBuf::from(value()?)),
            "--directed" => directed = true,
            "--measures" => measures = value()?,
            "--group-attribute" => group = Some(value()?),
            "--seed" => seed = value()?.parse()?,
            "--betweenness-samples" => samples = Some(value()?.parse()?),
            "--output" => output = value()?.parse()?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--timings" => timings = true,
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    let input = input.ok_or("--input is required")?;
    // Start the worker threads before any timing, as Python's imports are outside igraph's and
    // NetworkX's timings.
    rayon::broadcast(|_| ());
    let t = Instant::now();
    let graph = io::read_path(&input, format, nodes.as_deref(), directed)?;
    let load = t.elapsed().as_secs_f64();
    let options = Options {
        measures: Measure::parse_list(&measures)?,
        group_attribute: group,
        seed,
        betweenness_samples: samples,
        progress: true,
    };
    let t = Instant::now();
    let rep = report::analyze(&graph, &options)?;
    let analyze = t.elapsed().as_secs_f64();
    match out {
        Some(path) => report::write_report(&rep, output, &mut std::fs::File::create(path)?)?,
        None => report::write_report(&rep, output, &mut std::io::stdout().lock())?,
    }
    if timings {
        let per: Vec<String> = rep
            .timings
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        eprintln!(
            "{{\"load\": {load}, \"analyze\": {analyze}, \"measures\": {{{}}}, \"peak_rss_kb\": {}, \"nodes\": {}, \"edges\": {}}}",
            per.join(", "),
            peak_rss_kb().unwrap_or(0),
            graph.node_count(),
            graph.edge_count()
        );
    }
    Ok(())
}
