//! SW001 — a loop with no Wait state and no Choice that can leave it.
//!
//! **What it finds:** a cycle of states (through Next, Default and Choice rules) that contains no
//! Wait state and no Choice with a way out of the cycle.
//!
//! **Why:** such a loop can only end by an error. An execution spins as fast as Step Functions
//! runs it, bills every transition, and fails at the 25,000-event history limit.
//!
//! **Example:**
//! ```json
//! {"StartAt": "Poll", "States": {
//!   "Poll": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Again"},
//!   "Again": {"Type": "Pass", "Next": "Poll"},
//!   "Done": {"Type": "Succeed"}}}
//! ```
//! Add a Wait to the loop and a Choice that leaves it when the job is done.

use super::Machine;
use crate::validate::Ctx;
use crate::validate::FastMap as HashMap;

pub const CODE: &str = "SW001";
pub const SUMMARY: &str = "Loop with no Wait state and no Choice that can leave it";

pub(crate) fn check(ctx: &mut Ctx, machine: &Machine) {
    let states = machine.states();
    let mut index: HashMap<&str, usize> = HashMap::default();
    index.reserve(states.len());
    for (i, s) in states.iter().enumerate() {
        index.insert(s.name, i);
    }
    // Adjacency as one flat list: the targets of state `i` are `flat[first[i]..first[i + 1]]`.
    let mut flat: Vec<usize> = Vec::with_capacity(states.len() * 2);
    let mut first: Vec<usize> = Vec::with_capacity(states.len() + 1);
    for s in &states {
        first.push(flat.len());
        let node = s.node;
        let mut push = |t: Option<&str>| {
            if let Some(j) = t.and_then(|t| index.get(t)) {
                flat.push(*j);
            }
        };
        push(node.get("Next").and_then(|n| n.as_str()));
        push(node.get("Default").and_then(|n| n.as_str()));
        if let Some(choices) = node.get("Choices") {
            for c in choices.items() {
                push(c.get("Next").and_then(|n| n.as_str()));
            }
        }
    }
    first.push(flat.len());
    let adjacency: Vec<&[usize]> = first
        .windows(2)
        .map(|w| flat.get(w[0]..w[1]).unwrap_or(&[]))
        .collect();
    for scc in strongly_connected(&adjacency) {
        let cyclic = scc.len() > 1 || scc.first().is_some_and(|&i| adjacency[i].contains(&i));
        if !cyclic {
            continue;
        }
        let in_scc = |j: usize| scc.contains(&j);
        let has_wait = scc.iter().any(|&i| states[i].ty() == "Wait");
        let has_exit = scc
            .iter()
            .any(|&i| states[i].ty() == "Choice" && adjacency[i].iter().any(|&j| !in_scc(j)))
            || scc
                .iter()
                .any(|&i| states[i].ty() == "Choice" && states[i].node.get("Default").is_none());
        if has_wait || has_exit {
            continue;
        }
        let Some(&first) = scc.iter().min() else {
            continue;
        };
        let mut names: Vec<&str> = scc.iter().map(|&i| states[i].name).collect();
        names.sort_unstable();
        ctx.warning(
            CODE,
            format!(
                "States [{}] form a loop with no Wait state and no Choice that can leave it: an execution would spin until it fails at the 25,000-event history limit",
                names.join(", ")
            ),
            &states[first].path(),
            states[first].node,
        );
    }
}

/// Tarjan's strongly connected components, iterative (no recursion on user data).
fn strongly_connected<A: AsRef<[usize]>>(adj: &[A]) -> Vec<Vec<usize>> {
    let n = adj.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next_index = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if let Some(&w) = adj[v].as_ref().get(*edge) {
                *edge += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    out.push(comp);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn finds_cycles() {
        let adj = vec![vec![1], vec![2], vec![0], vec![3], vec![]];
        let mut sccs: Vec<Vec<usize>> = strongly_connected(&adj)
            .into_iter()
            .map(|mut c| {
                c.sort_unstable();
                c
            })
            .collect();
        sccs.sort();
        assert_eq!(sccs, vec![vec![0, 1, 2], vec![3], vec![4]]);
    }
}
