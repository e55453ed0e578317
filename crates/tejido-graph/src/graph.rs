//! The graph model: a builder that accepts string ids, attributes and weighted edges, and the
//! immutable [`Graph`] it produces, which keeps integer ids and CSR adjacency built once and
//! reused by every measure.
//!
//! Semantics follow NetworkX's `Graph` / `DiGraph`: adding an edge twice keeps one edge (the
//! later weight wins, attributes are merged), an undirected `a b` and `b a` are the same edge,
//! and a self-loop is one entry in its node's adjacency but counts twice in the degree.

use std::collections::{BTreeMap, HashMap};

/// String attributes of a node or an edge.
pub type Attributes = BTreeMap<String, String>;

/// Compressed sparse rows: the neighbors of node `v` are `targets[offsets[v]..offsets[v + 1]]`,
/// sorted ascending, each neighbor once.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
    /// Parallel to `targets`; empty when the graph carries no weights.
    weights: Vec<f64>,
}

impl Csr {
    /// Neighbors of `v`.
    #[inline]
    pub fn neighbors(&self, v: u32) -> &[u32] {
        let (a, b) = self.range(v);
        &self.targets[a..b]
    }

    /// Weights of the edges to the neighbors of `v` (all 1.0 when unweighted).
    #[inline]
    pub fn weights(&self, v: u32) -> Option<&[f64]> {
        if self.weights.is_empty() {
            None
        } else {
            let (a, b) = self.range(v);
            Some(&self.weights[a..b])
        }
    }

    #[inline]
    fn range(&self, v: u32) -> (usize, usize) {
        let v = v as usize;
        (self.offsets[v] as usize, self.offsets[v + 1] as usize)
    }

    /// Number of neighbors of `v` (a self-loop counts once).
    #[inline]
    pub fn len_of(&self, v: u32) -> usize {
        let (a, b) = self.range(v);
        b - a
    }

    /// Whether `u` has `v` as a neighbor (binary search in the sorted row).
    #[inline]
    pub fn contains(&self, u: u32, v: u32) -> bool {
        self.neighbors(u).binary_search(&v).is_ok()
    }

    /// Weight of the edge u → v if present.
    pub fn weight_of(&self, u: u32, v: u32) -> Option<f64> {
        let row = self.neighbors(u);
        let i = row.binary_search(&v).ok()?;
        Some(self.weights(u).map_or(1.0, |w| w[i]))
    }

    /// Raw row offsets (`n + 1` entries) and targets, for hot loops.
    #[inline]
    pub(crate) fn raw(&self) -> (&[u32], &[u32]) {
        (&self.offsets, &self.targets)
    }

    /// Number of rows (nodes).
    pub fn offsets_len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Total number of entries.
    pub fn entries(&self) -> usize {
        self.targets.len()
    }

    fn from_sorted_pairs(
        n: usize,
        rows: impl Fn(&mut dyn FnMut(u32, u32, f64)),
        weighted: bool,
    ) -> Csr {
        let mut counts = vec![0u32; n + 1];
        rows(&mut |u, _, _| counts[u as usize + 1] += 1);
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let total = counts[n] as usize;
        let mut targets = vec![0u32; total];
        let mut weights = if weighted {
            vec![0f64; total]
        } else {
            Vec::new()
        };
        let mut next = counts.clone();
        rows(&mut |u, v, w| {
            let slot = next[u as usize] as usize;
            targets[slot] = v;
            if weighted {
                weights[slot] = w;
            }
            next[u as usize] += 1;
        });
        Csr {
            offsets: counts,
            targets,
            weights,
        }
    }
}

/// Accumulates nodes and edges; [`GraphBuilder::build`] turns them into a [`Graph`].
#[derive(Debug, Clone)]
pub struct GraphBuilder {
    directed: bool,
    ids: Vec<String>,
    index: HashMap<String, u32>,
    node_attrs: Vec<Attributes>,
    edges: Vec<(u32, u32)>,
    /// Parallel to `edges` once any edge has carried a weight; empty before (all weights 1).
    weights: Vec<f64>,
    edge_attrs: Vec<(usize, Attributes)>,
    weighted: bool,
}

impl GraphBuilder {
    /// A builder for an undirected (`directed = false`) or directed graph.
    pub fn new(directed: bool) -> Self {
        GraphBuilder {
            directed,
            ids: Vec::new(),
            index: HashMap::new(),
            node_attrs: Vec::new(),
            edges: Vec::new(),
            weights: Vec::new(),
            edge_attrs: Vec::new(),
            weighted: false,
        }
    }

    /// Reserve room for about `nodes` nodes and `edges` edges.
    pub fn reserve(&mut self, nodes: usize, edges: usize) {
        self.ids.reserve(nodes);
        self.index.reserve(nodes);
        self.node_attrs.reserve(nodes);
        self.edges.reserve(edges);
    }

    /// Add a node (or find it) and return its integer id.
    pub fn add_node(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.ids.len() as u32;
        self.ids.push(id.to_owned());
        self.index.insert(id.to_owned(), i);
        self.node_attrs.push(Attributes::new());
        i
    }

    /// Add a node and merge attributes into it.
    pub fn add_node_with(&mut self, id: &str, attrs: Attributes) -> u32 {
        let i = self.add_node(id);
        self.node_attrs[i as usize].extend(attrs);
        i
    }

    /// Set one node attribute.
    pub fn set_node_attr(&mut self, node: u32, key: &str, value: &str) {
        if let Some(a) = self.node_attrs.get_mut(node as usize) {
            a.insert(key.to_owned(), value.to_owned());
        }
    }

    /// Add an edge; `weight` of `None` means the default tie strength 1.
    pub fn add_edge(&mut self, source: &str, target: &str, weight: Option<f64>) {
        let s = self.add_node(source);
        let t = self.add_node(target);
        self.add_edge_ids(s, t, weight);
    }

    /// Add an edge between existing node ids.
    pub fn add_edge_ids(&mut self, s: u32, t: u32, weight: Option<f64>) {
        if weight.is_some() && !self.weighted {
            self.weighted = true;
            self.weights.reserve(self.edges.capacity());
            self.weights.resize(self.edges.len(), 1.0);
        }
        if self.weighted {
            self.weights.push(weight.unwrap_or(1.0));
        }
        self.edges.push((s, t));
    }

    /// Add an edge with attributes.
    pub fn add_edge_with(
        &mut self,
        source: &str,
        target: &str,
        weight: Option<f64>,
        attrs: Attributes,
    ) {
        self.add_edge(source, target, weight);
        if !attrs.is_empty() {
            self.edge_attrs.push((self.edges.len() - 1, attrs));
        }
    }

    /// Number of nodes so far.
    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// Freeze into a [`Graph`] with CSR adjacency.
    pub fn build(self) -> Graph {
        let GraphBuilder {
            directed,
            ids,
            index,
            node_attrs,
            edges,
            weights,
            edge_attrs,
            weighted,
        } = self;
        let n = ids.len();
        let weight_of = |i: usize| if weighted { weights[i] } else { 1.0 };
        // Canonical key; for undirected graphs the smaller id first.
        let key = |e: &(u32, u32)| -> u64 {
            let (a, b) = if directed || e.0 <= e.1 {
                (e.0, e.1)
            } else {
                (e.1, e.0)
            };
            ((a as u64) << 32) | b as u64
        };
        let mut attr_of_edge: HashMap<usize, Attributes> = edge_attrs.into_iter().collect();
        let has_edge_attrs = !attr_of_edge.is_empty();
        // Keep original positions so duplicates resolve "later wins" and attributes follow.
        let mut order: Vec<u32> = (0..edges.len() as u32).collect();
        let already_sorted = edges.windows(2).all(|w| key(&w[0]) < key(&w[1]));
        if !already_sorted {
            order.sort_by_key(|&i| key(&edges[i as usize]));
        }
        let mut out_edges: Vec<(u32, u32, f64)> = Vec::with_capacity(edges.len());
        let mut out_attrs: Vec<Attributes> = Vec::new();
        let mut last_key = u64::MAX;
        for &i in &order {
            let e = edges[i as usize];
            let w = weight_of(i as usize);
            let k = key(&e);
            let (a, b) = ((k >> 32) as u32, k as u32);
            let attrs = if has_edge_attrs {
                attr_of_edge.remove(&(i as usize))
            } else {
                None
            };
            if k == last_key {
                if let Some(last) = out_edges.last_mut() {
                    last.2 = w;
                }
                if let (Some(attrs), Some(slot)) = (attrs, out_attrs.last_mut()) {
                    slot.extend(attrs);
                }
            } else {
                out_edges.push((a, b, w));
                if has_edge_attrs {
                    out_attrs.push(attrs.unwrap_or_default());
                }
                last_key = k;
            }
        }
        drop(edges);
        drop(weights);
        drop(order);

        let adj;
        let inn;
        if directed {
            adj = Csr::from_sorted_pairs(
                n,
                |f| {
                    for &(s, t, w) in &out_edges {
                        f(s, t, w)
                    }
                },
                weighted,
            );
            inn = Some(Csr::from_sorted_pairs(
                n,
                |f| {
                    for &(s, t, w) in &out_edges {
                        f(t, s, w)
                    }
                },
                weighted,
            ));
        } else {
            // Edges are sorted by (min, max); one pass leaves each row sorted: lower neighbors
            // first, then the self-loop, then higher neighbors.
            adj = Csr::from_sorted_pairs(
                n,
                |f| {
                    for &(a, b, w) in &out_edges {
                        f(a, b, w);
                        if a != b {
                            f(b, a, w);
                        }
                    }
                },
                weighted,
            );
            inn = None;
        }
        // Rows come out sorted from the passes above; the check is cheap and keeps the
        // invariant explicit if the construction ever changes.
        let adj = ensure_sorted(adj);
        let inn = inn.map(ensure_sorted);
        let mut self_loop = vec![false; n];
        for &(a, b, _) in &out_edges {
            if a == b {
                self_loop[a as usize] = true;
            }
        }
        Graph {
            directed,
            ids,
            index,
            node_attrs,
            edges: out_edges,
            edge_attrs: out_attrs,
            weighted,
            adj,
            inn,
            self_loop,
        }
    }
}

fn ensure_sorted(mut csr: Csr) -> Csr {
    let n = csr.offsets.len().saturating_sub(1);
    for v in 0..n {
        let (a, b) = (csr.offsets[v] as usize, csr.offsets[v + 1] as usize);
        let row = &csr.targets[a..b];
        if row.windows(2).all(|w| w[0] < w[1]) {
            continue;
        }
        let mut pairs: Vec<(u32, f64)> = (a..b)
            .map(|i| {
                (
                    csr.targets[i],
                    if csr.weights.is_empty() {
                        1.0
                    } else {
                        csr.weights[i]
                    },
                )
            })
            .collect();
        pairs.sort_by_key(|p| p.0);
        for (j, (t, w)) in pairs.into_iter().enumerate() {
            csr.targets[a + j] = t;
            if !csr.weights.is_empty() {
                csr.weights[a + j] = w;
            }
        }
    }
    csr
}

/// An immutable graph with integer node ids `0..n` in insertion order.
#[derive(Debug, Clone)]
pub struct Graph {
    directed: bool,
    ids: Vec<String>,
    index: HashMap<String, u32>,
    node_attrs: Vec<Attributes>,
    edges: Vec<(u32, u32, f64)>,
    edge_attrs: Vec<Attributes>,
    weighted: bool,
    adj: Csr,
    inn: Option<Csr>,
    self_loop: Vec<bool>,
}

impl Graph {
    /// Build a graph from `(source, target, weight)` triples.
    pub fn from_edges<'a>(
        directed: bool,
        edges: impl IntoIterator<Item = (&'a str, &'a str, Option<f64>)>,
    ) -> Graph {
        let mut b = GraphBuilder::new(directed);
        for (s, t, w) in edges {
            b.add_edge(s, t, w);
        }
        b.build()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// Number of edges (after merging duplicates; a self-loop is one edge).
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Whether edges are directed.
    pub fn is_directed(&self) -> bool {
        self.directed
    }

    /// Whether any edge carried an explicit weight.
    pub fn is_weighted(&self) -> bool {
        self.weighted
    }

    /// The string id of node `v`.
    pub fn id(&self, v: u32) -> &str {
        &self.ids[v as usize]
    }

    /// All string ids in node order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The integer id of a string id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    /// Attributes of node `v`.
    pub fn node_attrs(&self, v: u32) -> &Attributes {
        &self.node_attrs[v as usize]
    }

    /// The value of one node attribute.
    pub fn node_attr(&self, v: u32, key: &str) -> Option<&str> {
        self.node_attrs[v as usize].get(key).map(String::as_str)
    }

    /// Canonical edges `(source, target, weight)`; undirected edges have source ≤ target.
    pub fn edges(&self) -> &[(u32, u32, f64)] {
        &self.edges
    }

    /// Attributes of edge `i` (index into [`Graph::edges`]).
    pub fn edge_attrs(&self, i: usize) -> Option<&Attributes> {
        self.edge_attrs.get(i)
    }

    /// Out-adjacency (successors) for directed graphs; the adjacency for undirected ones.
    pub fn out_adj(&self) -> &Csr {
        &self.adj
    }

    /// In-adjacency (predecessors) for directed graphs; the adjacency for undirected ones.
    pub fn in_adj(&self) -> &Csr {
        self.inn.as_ref().unwrap_or(&self.adj)
    }

    /// Whether `v` has a self-loop.
    pub fn has_self_loop(&self, v: u32) -> bool {
        self.self_loop[v as usize]
    }

    /// Number of self-loops.
    pub fn self_loop_count(&self) -> usize {
        self.self_loop.iter().filter(|&&b| b).count()
    }

    /// Degree as NetworkX reports it: a self-loop counts twice; for directed graphs in + out.
    pub fn degree(&self, v: u32) -> usize {
        let sl = usize::from(self.self_loop[v as usize]);
        if self.directed {
            self.adj.len_of(v) + self.in_adj().len_of(v)
        } else {
            self.adj.len_of(v) + sl
        }
    }

    /// Out-degree (directed) or degree (undirected).
    pub fn out_degree(&self, v: u32) -> usize {
        if self.directed {
            self.adj.len_of(v)
        } else {
            self.degree(v)
        }
    }

    /// In-degree (directed) or degree (undirected).
    pub fn in_degree(&self, v: u32) -> usize {
        if self.directed {
            self.in_adj().len_of(v)
        } else {
            self.degree(v)
        }
    }

    /// Sorted neighbors in the underlying undirected graph, without `v` itself.
    pub fn undirected_neighbors(&self, v: u32, buf: &mut Vec<u32>) {
        buf.clear();
        if self.directed {
            merge_sorted(self.adj.neighbors(v), self.in_adj().neighbors(v), buf);
        } else {
            buf.extend_from_slice(self.adj.neighbors(v));
        }
        buf.retain(|&u| u != v);
    }

    /// The underlying simple undirected adjacency (no self-loops), as a CSR.
    pub fn undirected_simple(&self) -> Csr {
        let n = self.node_count();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u32);
        let mut targets =
            Vec::with_capacity(self.adj.entries() * if self.directed { 2 } else { 1 });
        let mut buf = Vec::new();
        for v in 0..n as u32 {
            self.undirected_neighbors(v, &mut buf);
            targets.extend_from_slice(&buf);
            offsets.push(targets.len() as u32);
        }
        Csr {
            offsets,
            targets,
            weights: Vec::new(),
        }
    }
}

/// Union of two sorted slices without duplicates.
pub(crate) fn merge_sorted(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}
