#!/usr/bin/env python3
"""Side-by-side benchmark: tejido-graph against python-igraph and NetworkX.

    pip install networkx igraph scipy
    python3 crates/tejido-graph/bench/compare.py                 # n = 1,000, 10,000, 100,000
    python3 crates/tejido-graph/bench/compare.py --sizes 1000 --repeat 1   # quick look

Every tool reads the same edge list: seeded Barabási–Albert graphs (m = 5) written once with
NetworkX's generator (`barabasi_albert_graph(n, 5, seed=1)`). Each (tool, n, measure) runs in a
fresh process, so its peak resident memory (VmHWM / ru_maxrss) belongs to that measure alone;
times are taken inside the process around the measure only (loading has its own row), and the
best of --repeat runs is kept. tejido runs as the `sna` example of tejido-graph, which has the
flags of `tejido sna` plus --timings (built here with `cargo build --release`). Ratios are
tejido / igraph from the same run. NetworkX is skipped where it would take minutes (exact
betweenness and closeness beyond n = 1,000; everything at n = 100,000), and so is igraph's exact
betweenness and closeness at n = 100,000; those cells say "skipped".
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(CRATE))

MEASURES = ["load", "betweenness", "betweenness_1thread", "closeness", "pagerank", "eigenvector",
            "clustering", "components", "louvain"]
TEJIDO_NAME = {"load": "none", "betweenness": "betweenness", "betweenness_1thread": "betweenness",
               "closeness": "closeness", "pagerank": "pagerank", "eigenvector": "eigenvector",
               "clustering": "clustering", "components": "components", "louvain": "communities"}
TIMING_KEY = {"communities": "louvain"}

CHILD = r'''
import json, resource, sys, time
tool, path, measure = sys.argv[1:4]
out = {}
if tool == "igraph":
    import igraph as ig
    t = time.perf_counter()
    g = ig.Graph.Read_Ncol(path, names=True, directed=False)
    out["load"] = time.perf_counter() - t
    f = {
        "load": lambda: None,
        "betweenness": lambda: g.betweenness(),
        "closeness": lambda: g.closeness(),
        "pagerank": lambda: g.pagerank(),
        "eigenvector": lambda: g.eigenvector_centrality(),
        "clustering": lambda: g.transitivity_local_undirected(mode="zero"),
        "components": lambda: g.connected_components(),
        "louvain": lambda: g.community_multilevel(),
    }[measure]
    t = time.perf_counter()
    r = f()
    out["measure"] = time.perf_counter() - t
    if measure == "louvain":
        out["modularity"] = r.modularity
else:
    import networkx as nx
    t = time.perf_counter()
    g = nx.read_edgelist(path, nodetype=str)
    out["load"] = time.perf_counter() - t
    f = {
        "load": lambda: None,
        "betweenness": lambda: nx.betweenness_centrality(g),
        "closeness": lambda: nx.closeness_centrality(g),
        "pagerank": lambda: nx.pagerank(g),
        "eigenvector": lambda: nx.eigenvector_centrality(g),
        "clustering": lambda: nx.clustering(g),
        "components": lambda: list(nx.connected_components(g)),
        "louvain": lambda: nx.community.louvain_communities(g, seed=1),
    }[measure]
    t = time.perf_counter()
    r = f()
    out["measure"] = time.perf_counter() - t
    if measure == "louvain":
        out["modularity"] = nx.community.modularity(g, r)
if measure == "load":
    out["measure"] = out["load"]
out["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
'''


def skip(tool, n, measure):
    if tool == "networkx":
        if n >= 100_000:
            return True
        if n > 1_000 and measure in ("betweenness", "closeness"):
            return True
    if tool == "igraph" and n >= 100_000 and measure in ("betweenness", "closeness"):
        return True
    if tool == "tejido" and n >= 100_000 and measure.startswith("betweenness"):
        return True
    return False


def generate(data_dir, n):
    path = os.path.join(data_dir, f"ba_{n}_m5_seed1.txt")
    if not os.path.exists(path):
        import networkx as nx
        G = nx.barabasi_albert_graph(n, 5, seed=1)
        nx.write_edgelist(G, path, data=False)
    return path


def run_tejido(binary, path, measure, data_dir):
    name = TEJIDO_NAME[measure]
    env = dict(os.environ)
    if measure == "betweenness_1thread":
        env["RAYON_NUM_THREADS"] = "1"
    out = os.path.join(data_dir, "report.json")
    cmd = [binary, "--input", path, "--measures", name, "--timings", "--out", out]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    t = json.loads(p.stderr.strip().splitlines()[-1])
    res = {"peak_rss_kb": t["peak_rss_kb"]}
    res["measure"] = t["load"] if name == "none" else t["measures"][TIMING_KEY.get(name, name)]
    if name == "communities":
        with open(out) as f:
            res["modularity"] = json.load(f)["graph"]["modularity"]
    return res


def run_python(tool, path, measure):
    m = "betweenness" if measure == "betweenness_1thread" else measure
    p = subprocess.run([sys.executable, "-c", CHILD, tool, path, m], capture_output=True, text=True,
                       check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def best(runs):
    runs = [r for r in runs if r]
    if not runs:
        return None
    b = min(runs, key=lambda r: r["measure"])
    b = dict(b)
    b["peak_rss_kb"] = max(r["peak_rss_kb"] for r in runs)
    return b


def fmt_t(r):
    if r is None:
        return "skipped"
    return f"{r['measure']:.4f}"


def fmt_m(r):
    return "–" if r is None else f"{r['peak_rss_kb'] / 1024:.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--measures", default=",".join(MEASURES))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-networkx", action="store_true")
    ap.add_argument("--binary", help="the tejido-graph `sna` example binary (built if omitted)")
    ap.add_argument("--data-dir", default=os.path.join(tempfile.gettempdir(), "tejido-sna-bench"))
    ap.add_argument("--markdown", help="also write the table to this file")
    args = ap.parse_args()
    os.makedirs(args.data_dir, exist_ok=True)
    binary = args.binary
    if not binary:
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
        subprocess.run(["cargo", "build", "--release", "--example", "sna",
                        "--manifest-path", os.path.join(CRATE, "Cargo.toml")], check=True)
        binary = os.path.join(target, "release", "examples", "sna")
    import igraph
    import networkx
    lines = [
        f"tejido-graph vs python-igraph {igraph.__version__} vs NetworkX {networkx.__version__}; "
        f"{os.cpu_count()} cores; best of {args.repeat}; times in seconds, peak RSS in MiB.",
        "",
        "| n | measure | tejido | igraph | NetworkX | tejido/igraph time | tejido MiB | igraph MiB | tejido/igraph memory | notes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    for n in [int(s) for s in args.sizes.split(",")]:
        path = generate(args.data_dir, n)
        for measure in args.measures.split(","):
            res = {}
            for tool in ("tejido", "igraph", "networkx"):
                if skip(tool, n, measure) or (tool == "networkx" and args.no_networkx):
                    res[tool] = None
                    continue
                if measure == "betweenness_1thread" and tool != "tejido":
                    res[tool] = None
                    continue
                runs = []
                for _ in range(args.repeat if tool != "networkx" else 1):
                    if tool == "tejido":
                        runs.append(run_tejido(binary, path, measure, args.data_dir))
                    else:
                        runs.append(run_python(tool, path, measure))
                res[tool] = best(runs)
            ig_ref = res["igraph"]
            if measure == "betweenness_1thread":
                # Compare the single-threaded run with igraph's (single-threaded) betweenness row.
                ig_ref = prev_igraph_bc.get(n)
            if measure == "betweenness":
                prev_igraph_bc[n] = res["igraph"]
            t, g, x = res["tejido"], ig_ref, res["networkx"]
            ratio = f"**{t['measure'] / g['measure']:.2f}×**" if t and g else "–"
            mem = f"{t['peak_rss_kb'] / g['peak_rss_kb']:.2f}×" if t and g else "–"
            notes = []
            if measure == "louvain":
                for tool in ("tejido", "igraph", "networkx"):
                    if res[tool] and "modularity" in res[tool]:
                        notes.append(f"Q {tool} {res[tool]['modularity']:.4f}")
            if measure == "betweenness_1thread":
                notes.append("RAYON_NUM_THREADS=1; igraph column = its betweenness row")
            row = (f"| {n:,} | {measure} | {fmt_t(t)} | {fmt_t(g)} | {fmt_t(x)} | {ratio} | "
                   f"{fmt_m(t)} | {fmt_m(g)} | {mem} | {'; '.join(notes)} |")
            lines.append(row)
            print(row, flush=True)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(lines) + "\n")


prev_igraph_bc = {}

if __name__ == "__main__":
    main()
