//! Perspective attribute names and the referee label each one is answered by.

pub use referee_train::Label;

/// Perspective attributes answered by referee, with the label behind each.
/// Every name also answers with an `_EXPERIMENTAL` suffix.
pub const ATTRIBUTES: &[(&str, Label)] = &[
    ("TOXICITY", Label::Abuse),
    ("SEVERE_TOXICITY", Label::Abuse),
    ("INSULT", Label::Abuse),
    ("PROFANITY", Label::Abuse),
    ("THREAT", Label::Abuse),
    ("IDENTITY_ATTACK", Label::Abuse),
    ("ATTACK_ON_AUTHOR", Label::AdHominem),
    ("ATTACK_ON_COMMENTER", Label::AdHominem),
    ("OFF_TOPIC", Label::OffTopic),
];

/// Suffix of Perspective's experimental variant of an attribute.
const EXPERIMENTAL: &str = "_EXPERIMENTAL";

/// A requested attribute name resolved: its canonical spelling and the
/// label that answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The name in upper case, as Perspective spells it (`TOXICITY`,
    /// `INSULT_EXPERIMENTAL`): the key of the attribute in a response.
    pub name: String,
    /// The label behind it.
    pub label: Label,
}

/// The canonical name and label of a Perspective attribute name
/// (case-insensitive, `_EXPERIMENTAL` suffix allowed), or `None` for an
/// attribute referee does not score. Spellings that differ only in case are
/// one attribute.
pub fn resolve(attribute: &str) -> Option<Resolved> {
    let upper = attribute.to_ascii_uppercase();
    let base = upper.strip_suffix(EXPERIMENTAL).unwrap_or(&upper);
    let &(_, label) = ATTRIBUTES.iter().find(|(name, _)| *name == base)?;
    Some(Resolved { name: upper, label })
}

/// The label that answers a Perspective attribute name ([`resolve`]).
pub fn label_for(attribute: &str) -> Option<Label> {
    resolve(attribute).map(|r| r.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_perspective_names_and_variants() {
        assert_eq!(label_for("TOXICITY"), Some(Label::Abuse));
        assert_eq!(label_for("identity_attack"), Some(Label::Abuse));
        assert_eq!(label_for("THREAT_EXPERIMENTAL"), Some(Label::Abuse));
        assert_eq!(label_for("ATTACK_ON_COMMENTER"), Some(Label::AdHominem));
        assert_eq!(label_for("OFF_TOPIC"), Some(Label::OffTopic));
        assert_eq!(label_for("FLIRTATION"), None);
        assert_eq!(label_for("_EXPERIMENTAL"), None);
        assert_eq!(label_for(""), None);
    }

    #[test]
    fn spellings_resolve_to_one_canonical_name() {
        let toxicity = resolve("Toxicity").unwrap();
        assert_eq!(toxicity.name, "TOXICITY");
        assert_eq!(
            resolve("toxicity_experimental").unwrap().name,
            "TOXICITY_EXPERIMENTAL"
        );
        assert_eq!(resolve("TOXICITY"), Some(toxicity));
    }
}
