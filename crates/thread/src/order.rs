//! Puts comments in reading order: every reply right after its parent's
//! subtree predecessors, siblings in source order.

use std::collections::HashMap;

use crate::Comment;

/// Reorders `comments` depth first (a reply follows its parent, siblings keep
/// their source order). A parent that is not in the list, that is the comment
/// itself, or that closes a cycle is cleared: the comment becomes top level
/// rather than being dropped. Iterative, linear in the number of comments.
pub(crate) fn reading_order(comments: Vec<Comment>) -> Vec<Comment> {
    let index: HashMap<&str, usize> = comments
        .iter()
        .enumerate()
        .rev()
        .map(|(i, comment)| (comment.id.as_str(), i))
        .collect();
    let parent_of: Vec<Option<usize>> = comments
        .iter()
        .enumerate()
        .map(|(i, comment)| {
            let parent = index.get(comment.parent.as_deref()?).copied()?;
            (parent != i).then_some(parent)
        })
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); comments.len()];
    for (i, parent) in parent_of.iter().enumerate() {
        if let Some(parent) = parent {
            children[*parent].push(i);
        }
    }

    let mut order = Vec::with_capacity(comments.len());
    let mut visited = vec![false; comments.len()];
    let mut stack = Vec::new();
    // Roots first; then whatever is left only sits on a cycle, so its first
    // member in source order is taken as a root.
    let roots = (0..comments.len()).filter(|&i| parent_of[i].is_none());
    let rest = 0..comments.len();
    for root in roots.chain(rest) {
        if visited[root] {
            continue;
        }
        stack.push(root);
        while let Some(i) = stack.pop() {
            if visited[i] {
                continue;
            }
            visited[i] = true;
            order.push(i);
            stack.extend(children[i].iter().rev().filter(|&&child| !visited[child]));
        }
    }

    let keep_parent: Vec<bool> = {
        let mut position = vec![0; comments.len()];
        for (at, &i) in order.iter().enumerate() {
            position[i] = at;
        }
        (0..comments.len())
            .map(|i| parent_of[i].is_some_and(|parent| position[parent] < position[i]))
            .collect()
    };
    let mut slots: Vec<Option<Comment>> = comments.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|i| {
            let mut comment = slots[i].take().expect("each comment is visited once");
            if !keep_parent[i] {
                comment.parent = None;
            }
            comment
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: &str, parent: Option<&str>) -> Comment {
        Comment {
            id: id.into(),
            parent: parent.map(Into::into),
            ..Comment::default()
        }
    }

    fn ids(comments: &[Comment]) -> Vec<(&str, Option<&str>)> {
        comments
            .iter()
            .map(|c| (c.id.as_str(), c.parent.as_deref()))
            .collect()
    }

    #[test]
    fn replies_follow_their_parent() {
        let ordered = reading_order(vec![
            comment("1", None),
            comment("2", None),
            comment("3", Some("1")),
            comment("4", Some("3")),
            comment("5", Some("1")),
        ]);
        assert_eq!(
            ids(&ordered),
            [
                ("1", None),
                ("3", Some("1")),
                ("4", Some("3")),
                ("5", Some("1")),
                ("2", None)
            ]
        );
    }

    #[test]
    fn dangling_self_and_cyclic_parents_are_cleared() {
        let ordered = reading_order(vec![
            comment("a", Some("missing")),
            comment("b", Some("b")),
            comment("c", Some("d")),
            comment("d", Some("c")),
        ]);
        assert_eq!(
            ids(&ordered),
            [("a", None), ("b", None), ("c", None), ("d", Some("c"))]
        );
    }

    #[test]
    fn long_chains_are_iterative() {
        let comments: Vec<Comment> = (0..50_000)
            .map(|i| Comment {
                id: i.to_string(),
                parent: (i > 0).then(|| (i - 1).to_string()),
                ..Comment::default()
            })
            .collect();
        let ordered = reading_order(comments);
        assert_eq!(ordered.len(), 50_000);
        assert_eq!(ordered[49_999].parent.as_deref(), Some("49998"));
    }
}
