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

/// The label that answers a Perspective attribute name (case-insensitive,
/// `_EXPERIMENTAL` suffix allowed), or `None` for an attribute referee does
/// not score.
pub fn label_for(attribute: &str) -> Option<Label> {
    let upper = attribute.to_ascii_uppercase();
    let base = upper.strip_suffix("_EXPERIMENTAL").unwrap_or(&upper);
    ATTRIBUTES
        .iter()
        .find(|(name, _)| *name == base)
        .map(|&(_, label)| label)
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
}
