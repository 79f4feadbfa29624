//! Page furniture: the lines a copied comment page shows around and between
//! comments that nobody wrote as a comment (counts, forms, buttons, votes,
//! member statistics, cookie notices).

use std::sync::LazyLock;

use regex::Regex;

use super::lines::regex;

/// Whole lines that are furniture, wherever they stand.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?i)^\s*(?:",
        // Comment counts and headings.
        r"(?:\d[\d,]*|one|no)\s+(?:responses?|comments?|replies|reply|thoughts?|posts?|reactions?|views?|users?)(?:\s+(?:to|on|so far)\b.*)?:?",
        r"|\(\d+ posts?\)|comments?(?:\s*\(\d+\))?:?|reader comments|show comments|view comments|hide comments",
        r"|(?:show|view|load)\s+(?:\d+\s+)?more(?:\s+(?:comments|replies))?\.*|view \d+ repl(?:y|ies)|see more|show more replies",
        r"|all \d+ comments|sorted by:?.*|sort by\s*\w*|re:\s.{1,80}|display posts from previous.*|return to (?:board index|[^.!?]{1,40})",
        // Post metadata.
        r"|tags?:.*|categories:.*|filed under:?.*|posted (?:in|on|by)\b.*|posted\s*:.*",
        r"|share this:?|like this:?|related|read full post\s*»?|%d bloggers like this:?",
        // Comment forms.
        r"|leave a (?:reply|comment).*|post a comment|add (?:a )?comment.*|login|log in|sign in|register|your email address will not be published.*",
        r"|required fields are marked.*|save my name, email.*|notify me of .*|post comment|submit comment|cancel reply",
        r"|you must be (?:logged|signed) in.*|join the discussion.*|start the discussion.*|name \*|email \*|website",
        // Buttons and links under a comment.
        r"|(?:[•·|]\s*)?(?:reply|replydelete|delete|replies|report|report abuse|report post|share|flag|like|quote|reply with quote|permalink|edit|edited|link|upvote|downvote|recommend)(?:\s*[•·|↓›]?\s*(?:reply|share|report|flag|like|edit|link|quote))*\s*[↓›]?",
        r"|(?:permalink|embed|save|parent|report|reply|give award|share)+|quote:|originally posted by .*|\d+\s+boosts?\s+\d+\s+favou?rites?",
        r"|log in to reply|op posts:|click to expand\.*|newer post|older post|home|subscribe to:.*|avatar|user avatar",
        // Votes.
        r"|[+-]?\d[\d,]*(?:\s*(?:points?|votes?|likes?|[▲▼↑↓]))?|[▲▼↑↓]\s*\d*|\d+\s*\|\s*\d+|(?:recommend|likes?|upvotes?)\s*\(?\d+\)?",
        // Member statistics on forums.
        r"|#\d{1,6}(?:\s*\(permalink\))?|old\s+\d.*|@[\w.]+@[\w.-]+|joined:?.*\d.*|join date:.*|(?:posts|messages|likes received|reaction score|trophy points|points|reputation):\s*[\d,]+",
        r"|(?:free|full|senior|junior|new|registered|well-known|active)\s+(?:member|user)|member|topic starter|last edited by .*",
        r"|newbie|(?:jr\.?|sr\.?|junior|senior|full|hero|god)\s+member|(?:global\s+)?moderator|administrator|«[^»]*»",
        // Disqus and site notices.
        r"|powered by disqus|sort by\s*\w*|best\s+newest\s+oldest|disqus|privacy|do not sell my data|subscribe",
        r"|this site uses cookies.*|we use cookies.*|accept(?: all)? cookies|cookie (?:policy|settings)",
        r"|(?:©|\(c\)|copyright)\s.*|powered by wordpress.*",
        r")\s*$"
    ))
});

/// Lines after which the page below the thread begins.
static THREAD_END: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?i)^\s*(?:leave a (?:reply|comment)|post a comment|add a comment|your email address will not be published",
        r"|newer post|older post|subscribe to: post comments|cancel reply|you must (?:be )?(?:logged|signed|log|sign) in",
        r"|the comments to this entry are closed|display posts from previous)\b"
    ))
});

static MEMBER_STATS: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)^\s*(?:posts|messages|post count):\s*[\d,]+\s*$"));

/// `Posts: 123`: a forum member's statistics, next to their name.
pub(crate) fn is_member_stats(line: &str) -> bool {
    MEMBER_STATS.is_match(line)
}

/// The heading over a comment list: `Comments`, `12 Comments`, `4 Responses
/// to “…”`, `Reader comments`.
static COMMENTS_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    regex(concat!(
        r"(?i)^\s*(?:(?:\d[\d,]*|one|no)\s+)?(?:comments?|responses?|replies|thoughts?)",
        r"(?:\s*\(\d+\))?(?:\s+(?:to|on)\b.*)?:?\s*$|^\s*reader comments\s*$"
    ))
});

/// A heading over the comment list.
pub(crate) fn is_comments_heading(line: &str) -> bool {
    COMMENTS_HEADING.is_match(line)
}

/// Furniture: a line to drop.
pub(crate) fn is_chrome(line: &str) -> bool {
    FURNITURE.is_match(line)
}

/// The comment form or page navigation that follows the thread.
pub(crate) fn ends_thread(line: &str) -> bool {
    THREAD_END.is_match(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines() {
        for line in [
            "12 thoughts on “A post”",
            "10 Responses to “The real reasons”",
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "Reply",
            "ReplyDelete",
            "Share ›",
            "• Reply • Share ›",
            "Load more comments",
            "  16",
            "Joined: Mar 3, 2012",
            "Messages: 1,204",
            "Free Member",
            "OP posts:",
            "This site uses cookies to improve your experience.",
            "© 2024 Left Futures | Powered by WordPress",
        ] {
            assert!(is_chrome(line), "{line}");
        }
        for line in [
            "Reply to the post.",
            "Share your thoughts, please.",
            "2 of us went",
        ] {
            assert!(!is_chrome(line), "{line}");
        }
        assert!(ends_thread("Leave a Reply"));
        assert!(ends_thread("Post a Comment"));
        assert!(!ends_thread("Reply"));
    }
}
