//! Fold groups of corpora whose texts repeat: rows that share a normalised
//! text, a parent or an author must sit in one fold.

use std::collections::HashMap;

/// Lower-case words of `text` joined by single spaces: how repeated texts
/// are recognised.
pub fn normalised(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A union-find over rows: rows joined through any shared key end in one
/// group.
#[derive(Default)]
pub struct Groups {
    parent: Vec<usize>,
    owner: HashMap<String, usize>,
}

impl Groups {
    /// Adds a row with its keys; returns its number.
    pub fn add(&mut self, keys: &[String]) -> usize {
        let row = self.parent.len();
        self.parent.push(row);
        for key in keys.iter().filter(|k| !k.is_empty()) {
            match self.owner.get(key) {
                Some(&other) => self.join(row, other),
                None => {
                    self.owner.insert(key.clone(), row);
                }
            }
        }
        row
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            // The smaller number is the root: groups are named by their
            // first row, whatever the order of joins.
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.parent[hi] = lo;
        }
    }

    /// The group of a row: the number of the first row of its group.
    pub fn group(&mut self, row: usize) -> usize {
        self.root(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_sharing_any_key_share_a_group() {
        let mut g = Groups::default();
        let a = g.add(&["t:x".into(), "p:1".into()]);
        let b = g.add(&["t:y".into(), "p:2".into()]);
        let c = g.add(&["t:y".into(), "p:1".into()]);
        let d = g.add(&["t:z".into(), String::new()]);
        let e = g.add(&["t:w".into(), String::new()]);
        assert_eq!(g.group(a), g.group(b));
        assert_eq!(g.group(c), a);
        assert_ne!(g.group(d), g.group(e));
        assert_eq!(normalised("Hello,  WORLD!"), "hello world");
    }
}
