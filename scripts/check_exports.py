#!/usr/bin/env python3
"""Opens the GEXF and GraphML files written by the network route tests with NetworkX's own
readers, as Gephi and researchers would: the network of the test (5 organizations, 5 ties) comes
back with its nodes, edges and the sector attribute of every node."""
import sys

import networkx as nx

paths = sys.argv[1:]
if not paths:
    sys.exit("check_exports: no .gexf/.graphml files to check (did the Rust tests write them?)")
for path in paths:
    g = nx.read_gexf(path) if path.endswith(".gexf") else nx.read_graphml(path)
    assert g.number_of_nodes() == 5, (path, g.number_of_nodes())
    assert g.number_of_edges() == 5, (path, g.number_of_edges())
    sectors = {d.get("sector") for _, d in g.nodes(data=True)}
    assert None not in sectors and "media" in sectors, (path, sectors)
    print(f"{path}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, sectors {sorted(sectors)} (networkx {nx.__version__})")
print("networkx check: OK")
