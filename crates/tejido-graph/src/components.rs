//! Connected components (weak for directed graphs), strongly connected components and isolates.
//! Component labels are numbered by decreasing size, ties broken by the smallest node index, so
//! they are stable across runs.

use crate::graph::Graph;

/// A labeling of nodes into components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Components {
    /// Component label of each node, 0 = largest component.
    pub label: Vec<u32>,
    /// Size of each component, by label.
    pub sizes: Vec<usize>,
}

impl Components {
    /// Number of components.
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    fn from_raw(raw: Vec<u32>, count: usize) -> Components {
        let mut sizes = vec![0usize; count];
        let mut first = vec![u32::MAX; count];
        for (v, &c) in raw.iter().enumerate() {
            sizes[c as usize] += 1;
            first[c as usize] = first[c as usize].min(v as u32);
        }
        let mut order: Vec<usize> = (0..count).collect();
        order.sort_by_key(|&c| (std::cmp::Reverse(sizes[c]), first[c]));
        let mut relabel = vec![0u32; count];
        for (new, &old) in order.iter().enumerate() {
            relabel[old] = new as u32;
        }
        Components {
            label: raw.iter().map(|&c| relabel[c as usize]).collect(),
            sizes: order.iter().map(|&c| sizes[c]).collect(),
        }
    }
}

/// Connected components; for directed graphs, weakly connected components.
pub fn connected_components(g: &Graph) -> Components {
    let n = g.node_count();
    let mut raw = vec![u32::MAX; n];
    let mut stack = Vec::new();
    let mut count = 0u32;
    for s in 0..n as u32 {
        if raw[s as usize] != u32::MAX {
            continue;
        }
        raw[s as usize] = count;
        stack.push(s);
        while let Some(v) = stack.pop() {
            let more = if g.is_directed() {
                g.in_adj().neighbors(v)
            } else {
                &[][..]
            };
            for &w in g.out_adj().neighbors(v).iter().chain(more) {
                if raw[w as usize] == u32::MAX {
                    raw[w as usize] = count;
                    stack.push(w);
                }
            }
        }
        count += 1;
    }
    Components::from_raw(raw, count as usize)
}

/// Strongly connected components (Tarjan's algorithm, iterative). For undirected graphs these
/// are the connected components.
pub fn strongly_connected_components(g: &Graph) -> Components {
    if !g.is_directed() {
        return connected_components(g);
    }
    let n = g.node_count();
    let adj = g.out_adj();
    const NONE: u32 = u32::MAX;
    let mut index = vec![NONE; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut raw = vec![NONE; n];
    let mut next_index = 0u32;
    let mut count = 0u32;
    // Call stack of (node, position in its neighbor list).
    let mut calls: Vec<(u32, usize)> = Vec::new();
    for root in 0..n as u32 {
        if index[root as usize] != NONE {
            continue;
        }
        calls.push((root, 0));
        index[root as usize] = next_index;
        low[root as usize] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (v, ref mut pos)) = calls.last_mut() {
            let nbrs = adj.neighbors(v);
            if *pos < nbrs.len() {
                let w = nbrs[*pos];
                *pos += 1;
                if index[w as usize] == NONE {
                    index[w as usize] = next_index;
                    low[w as usize] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w as usize] = true;
                    calls.push((w, 0));
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
            } else {
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    low[parent as usize] = low[parent as usize].min(low[v as usize]);
                }
                if low[v as usize] == index[v as usize] {
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        raw[w as usize] = count;
                        if w == v {
                            break;
                        }
                    }
                    count += 1;
                }
            }
        }
    }
    Components::from_raw(raw, count as usize)
}

/// Nodes with degree 0 (`nx.isolates`; a node with only a self-loop is not isolated).
pub fn isolates(g: &Graph) -> Vec<u32> {
    (0..g.node_count() as u32)
        .filter(|&v| g.degree(v) == 0)
        .collect()
}
