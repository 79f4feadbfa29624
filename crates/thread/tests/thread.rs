//! Every reader on the seeds and on fixtures written from each format's
//! documentation, bad input of every kind, and arbitrary bytes.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use referee_thread::{
    detect, open, read_bytes, read_str, CommentStatus, InputFormat, Source, Thread,
};

fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read_all(path: &Path) -> Vec<Thread> {
    open(&Source::Path(path.to_owned()), None)
        .unwrap_or_else(|err| panic!("{err}"))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|err| panic!("{err}"))
}

fn seed(stem: &str) -> Thread {
    let mut threads = read_all(&repo_file(&format!("seeds/{stem}.txt")));
    assert_eq!(threads.len(), 1);
    threads.remove(0)
}

fn authors(thread: &Thread) -> Vec<&str> {
    thread
        .comments
        .iter()
        .map(|c| c.author.as_deref().unwrap_or(""))
        .collect()
}

fn parents(thread: &Thread) -> Vec<Option<&str>> {
    thread
        .comments
        .iter()
        .map(|c| c.parent.as_deref())
        .collect()
}

fn ids(thread: &Thread) -> Vec<&str> {
    thread.comments.iter().map(|c| c.id.as_str()).collect()
}

// ---------------------------------------------------------------- seeds

#[test]
fn seed_002_numbered_headers() {
    let thread = seed("002_5b8594a9807957cc");
    assert_eq!(thread.id, "002_5b8594a9807957cc");
    assert_eq!(
        thread.title.as_deref(),
        Some("The real reasons Ken wants Lutfur back in the party")
    );
    assert_eq!(thread.author.as_deref(), Some("Jessica Asato"));
    let text = thread.text.as_deref().unwrap();
    assert!(text.starts_with("It is clear that, despite"));
    assert!(text.ends_with("Jessica Asato is a social media consultant and Islington councillor."));
    assert!(!text.contains("Responses to") && !text.contains("Tags:"));
    assert_eq!(
        authors(&thread),
        [
            "Stuart Madewell",
            "",
            "Londoner",
            "Dan McCurry",
            "Mike",
            "Anatlus",
            "Dan McCurry",
            "Jon Lansman",
            "Londoner"
        ]
    );
    assert_eq!(
        ids(&thread),
        ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"]
    );
    // Flat list; the one reply that opens by naming whom it answers
    // (`Anatlus,`) is nested under that comment.
    let mut expected_parents = vec![None; 9];
    expected_parents[6] = Some("c6");
    assert_eq!(parents(&thread), expected_parents);
    assert!(thread.comments[1]
        .text
        .starts_with("I see you agree with Lutfur then."));
    // The numbered points inside a comment stay in it.
    assert!(thread.comments[0].text.contains("1, Kumar Murshid"));
    assert!(thread.comments[0].text.contains("\n\n6, You claim"));
    assert!(thread.comments[3]
        .text
        .contains("LONDONER is just another anonymous nobody."));
    assert!(!thread.comments[8].text.contains("Leave a Reply"));
}

#[test]
fn seed_003_nested_replies() {
    let thread = seed("003_8e85fc73c985b06a");
    assert_eq!(
        thread.title.as_deref(),
        Some("Whoever wins in Tower Hamlets, it’s time for Labour to heal the rift")
    );
    assert_eq!(thread.comments.len(), 16);
    assert_eq!(
        authors(&thread),
        [
            "James Martin",
            "Jon Lansman",
            "James Martin",
            "John Reid",
            "Jon Lansman",
            "Andy Newman",
            "Matty",
            "James Martin",
            "Matty",
            "Matty",
            "James Martin",
            "Jenny Fisher",
            "Matty",
            "Ian Ilett",
            "Jenny Fisher",
            "Dave Roberts"
        ]
    );
    assert_eq!(
        parents(&thread),
        [
            None,
            Some("c1"),
            Some("c2"),
            None,
            Some("c4"),
            None,
            None,
            Some("c7"),
            Some("c8"),
            Some("c8"),
            Some("c10"),
            Some("c11"),
            Some("c11"),
            None,
            None,
            Some("c15"),
        ]
    );
    assert!(thread.comments[15]
        .text
        .ends_with("lists you as the editor."));
    assert!(!thread.comments[15].text.contains("Left Futures"));
}

#[test]
fn seed_004_four_comments_and_no_trailing_page() {
    let thread = seed("004_78f8e4c4d4f43946");
    assert_eq!(
        thread.title.as_deref(),
        Some("Tower Hamlets: victory for Lutfur Rahman")
    );
    assert_eq!(
        authors(&thread),
        ["Muna Rai", "Peter Kenyon", "Mick Williams", "Tony Clarke"]
    );
    assert!(thread.comments[0].text.ends_with("Best wishes"));
    assert!(!thread.comments[3].text.contains("Person Specification"));
}

#[test]
fn seed_001_post_without_comments() {
    let thread = seed("001_8def435ea4cc8f3c");
    assert_eq!(thread.title.as_deref(), Some("Pork barrel politics"));
    assert!(thread.comments.is_empty());
    assert!(thread
        .text
        .as_deref()
        .unwrap()
        .contains("Head of Mayor’s Office"));
}

/// The comment of seed 000 holding `needle`.
fn holding<'t>(thread: &'t Thread, needle: &str) -> &'t referee_thread::Comment {
    let found: Vec<_> = thread
        .comments
        .iter()
        .filter(|c| c.text.contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "{needle:?} is in {} comments", found.len());
    found[0]
}

fn same_comment(thread: &Thread, a: &str, b: &str) -> bool {
    holding(thread, a).id == holding(thread, b).id
}

#[test]
fn seed_000_bare_thread_boundaries() {
    let thread = seed("000_bccf75438b1c52af");
    assert_eq!(
        thread.title.as_deref(),
        Some("Cllr Oli Rahman manning a PCS picket line in Stratford today")
    );
    let post = thread.text.as_deref().unwrap();
    assert!(post.ends_with("Mr Rahman said he was unable to comment."));
    assert!(!post.contains("Interesting."));

    // The Badger exchange: three commenters, three comments.
    let badger = "Hyperventilated and vomited, eh? Drama queens";
    let question = "‘Them’, ‘they’: who?";
    let answer = "Muslims, that’s what you wanted, isn’t it?";
    assert!(!same_comment(&thread, badger, question));
    assert!(!same_comment(&thread, question, answer));
    assert!(!same_comment(&thread, badger, answer));
    assert!(same_comment(&thread, question, "In English Badger."));

    // Signatures close their comment, and stay with it.
    let signed = holding(&thread, "Tolerance of other’s opinions");
    assert!(signed.text.ends_with("Curious Cat."));
    assert_eq!(signed.author.as_deref(), Some("Curious Cat"));
    assert!(
        holding(&thread, "There are many much more important issues")
            .text
            .ends_with("Curious Cat.")
    );
    assert!(holding(&thread, "can not be “fired” according to law.")
        .text
        .ends_with("Curious cat"));
    assert!(!holding(&thread, "Could we have this in English?")
        .text
        .contains("Curious Cat"));

    // A salutation opens a comment, also a name used as one right after a signature.
    assert!(holding(&thread, "Eastenders,")
        .text
        .starts_with("Eastenders,\nYou are mistaken"));
    assert!(holding(&thread, "Complete and utter rubbish.")
        .text
        .starts_with("Curious Cat\nComplete"));
    assert!(holding(&thread, "Dear Mr Roberts,")
        .text
        .starts_with("Dear Mr Roberts,\nDoes anyone care"));
    assert!(holding(&thread, "Bonsoir cher Maurice,")
        .text
        .starts_with("Bonsoir cher Maurice,"));
    assert!(!same_comment(
        &thread,
        "Dear Mr Roberts,",
        "The question I would ask is"
    ));
    assert!(!same_comment(
        &thread,
        "Sorry curious I totally disagree",
        "Bonsoir cher Maurice,"
    ));

    // Addressing someone starts a reply.
    assert!(!same_comment(
        &thread,
        "Are you Chris Morris?",
        "Graham: that sounds"
    ));
    assert!(!same_comment(&thread, "Now banned", "Ted, I believe"));
    assert!(!same_comment(
        &thread,
        "Rob – I don’t know",
        "If I remember correctly"
    ));
    assert!(!same_comment(
        &thread,
        "Hey Graham – ah",
        "I’d be very interested in seeing"
    ));

    // A reply that opens with a quotation keeps its answer, and is not
    // merged with the comment before or after.
    assert!(same_comment(
        &thread,
        "“Some of those activists give",
        "Nobody at the Jobcentre had any idea"
    ));
    assert!(same_comment(
        &thread,
        "Nobody at the Jobcentre",
        "In any event, the Data Protection Act applies."
    ));
    assert!(!same_comment(
        &thread,
        "Graham: that sounds",
        "“Some of those activists give"
    ));
    assert!(!same_comment(
        &thread,
        "In any event, the Data Protection",
        "Not stating they are at Poplar JSP."
    ));
    // A sentence broken over two lines is one comment.
    assert!(same_comment(
        &thread,
        "Just stating what is",
        "for Labour.You obviously"
    ));

    // One-line comments in a row stay apart.
    assert!(!same_comment(
        &thread,
        "So basically he scweamed",
        "Sick or not, there is an important point"
    ));
    assert!(!same_comment(
        &thread,
        "is he mental?",
        "Surely it is contrary to democracy"
    ));
    assert!(!same_comment(
        &thread,
        "Surely it is contrary to democracy",
        "Bet you do, support that is."
    ));
    assert!(!same_comment(
        &thread,
        "Who are you then?",
        "Is this a husband and wife tiff"
    ));

    // Lead-ins, lists and separated blocks hold together.
    assert!(same_comment(
        &thread,
        "Options:",
        "3. He is indeed a corrupted public servant"
    ));
    assert!(same_comment(
        &thread,
        "Let us be clear about a few things:",
        "Oli Rahman needs to work more on his PR"
    ));
    assert!(same_comment(
        &thread,
        "4.4 ANNEX A: GUIDELINES",
        "You can read more – see https://www.gov.uk"
    ));
    assert!(same_comment(
        &thread,
        "Oui, bien sur.",
        "2. It appears Mr Rahman is being unlawfully victimised"
    ));

    let ids: Vec<String> = (1..=thread.comments.len())
        .map(|n| format!("c{n}"))
        .collect();
    assert_eq!(self::ids(&thread), ids);
}

// ---------------------------------------------------------------- WXR

#[test]
fn wxr_export_posts_comments_statuses_and_threading() {
    let threads = read_all(&fixture("export.wxr"));
    // The attachment is skipped; the post and the page are kept.
    assert_eq!(
        threads.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["101", "2"]
    );
    let post = &threads[0];
    assert_eq!(
        post.title.as_deref(),
        Some("Council & the new mayor’s office")
    );
    assert_eq!(post.author.as_deref(), Some("ted"));
    assert_eq!(
        post.url.as_deref(),
        Some("https://localmatters.example/2010/11/24/mayors-office/")
    );
    assert_eq!(
        post.text.as_deref(),
        Some("It's good to know the council can still create new jobs.\n\nHere is the job description:\n\n> Head of Mayor's Office")
    );
    // Replies follow their parent; every status is kept.
    assert_eq!(ids(post), ["11", "13", "12", "15", "14", "16", "17"]);
    assert_eq!(
        parents(post),
        [None, Some("11"), None, Some("12"), None, None, None]
    );
    assert_eq!(
        authors(post),
        [
            "Curious Cat",
            "Badger",
            "Eastenders",
            "Maurice",
            "cheap-pills",
            "Borough Watch » Jobs for the boys",
            "Town Hall Diary"
        ]
    );
    let statuses: Vec<CommentStatus> = post.comments.iter().map(|c| c.status).collect();
    use CommentStatus::*;
    // A pingback or trackback is a ping whatever its approval.
    assert_eq!(
        statuses,
        [Approved, Pending, Approved, Trash, Spam, Ping, Ping]
    );
    assert_eq!(
        post.comments[0].text,
        "Interesting.\nVictimising a person because of their political allegiance is wrong.\n\nCurious Cat."
    );
    assert_eq!(
        post.comments[1].text,
        "> Victimising a person is wrong.\n\nDrama queens the lot of them!"
    );
    assert_eq!(
        post.comments[2].text,
        "Complete and utter rubbish & you know it."
    );
    assert_eq!(post.comments[4].text, "Buy cheap pills now");
    assert_eq!(
        post.comments[0].time.as_deref(),
        Some("2010-11-24 10:00:00")
    );
    // A zero GMT date falls back to the local date.
    assert_eq!(
        post.comments[3].time.as_deref(),
        Some("2010-11-24 13:00:00")
    );
    assert!(threads[1].comments.is_empty());
}

#[test]
fn wxr_is_streamed_item_by_item() {
    let item = |n: usize| {
        format!("<item><title>P{n}</title><wp:post_id>{n}</wp:post_id><wp:post_type>post</wp:post_type></item>")
    };
    let xml = format!(
        "<?xml version=\"1.0\"?><rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>{}{}<item><title>broken",
        item(1),
        item(2)
    );
    let mut threads = referee_thread::open(
        &Source::Path(write_temp("stream.wxr", xml.as_bytes())),
        None,
    )
    .unwrap();
    assert_eq!(threads.format(), InputFormat::Wxr);
    assert_eq!(threads.next().unwrap().unwrap().id, "1");
    assert_eq!(threads.next().unwrap().unwrap().id, "2");
    let err = threads.next().unwrap().unwrap_err().to_string();
    assert!(
        err.contains("stream.wxr, byte") && err.contains("truncated"),
        "{err}"
    );
    assert!(threads.next().is_none());
}

fn write_temp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("referee-thread-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn xml_entity_bombs_are_not_expanded() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&lol9;</title><wp:post_id>1</wp:post_id>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>&lol9;&lol9;</wp:comment_content></wp:comment></item></channel></rss>"#;
    let threads = read_str("bomb.xml", bomb, None).unwrap();
    assert_eq!(threads[0].title.as_deref(), Some("&lol9;"));
    assert_eq!(threads[0].comments[0].text, "&lol9;&lol9;");

    let disqus = bomb
        .replace("<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><item><title>&lol9;</title><wp:post_id>1</wp:post_id>", "<disqus><thread dsq:id=\"1\"><title>&lol9;</title></thread><post dsq:id=\"2\"><thread dsq:id=\"1\"/><message>&lol9;</message></post>")
        .replace("\n<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content>&lol9;&lol9;</wp:comment_content></wp:comment></item></channel></rss>", "</disqus>");
    let threads = read_str("bomb.xml", &disqus, Some(InputFormat::Disqus)).unwrap();
    assert_eq!(threads[0].title.as_deref(), Some("&lol9;"));
    assert!(threads[0].comments[0].text.len() < 20);
}

// ---------------------------------------------------------------- WordPress pages

#[test]
fn wordpress_html_default_theme() {
    let thread = &read_all(&fixture("post-twentytwentyone.html"))[0];
    assert_eq!(thread.id, "post-twentytwentyone");
    assert_eq!(
        thread.title.as_deref(),
        Some("Tower Hamlets: victory for Lutfur Rahman")
    );
    assert_eq!(
        thread.url.as_deref(),
        Some("https://leftfutures.example/2010/10/victory/")
    );
    assert_eq!(thread.author.as_deref(), Some("Jon Lansman"));
    assert_eq!(
        thread.text.as_deref(),
        Some("Lutfur Rahman is Mayor of Tower Hamlets.\n\nIt is a victory for the local members who selected him.")
    );
    assert_eq!(ids(thread), ["7", "8", "9"]);
    assert_eq!(parents(thread), [None, Some("7"), None]);
    assert_eq!(authors(thread), ["Muna Rai", "Jon Lansman", "Tony Clarke"]);
    assert_eq!(
        thread.comments[0].text,
        "Thank Allah, I m so happy & proud.\n\nBest wishes\nMuna Rai"
    );
    assert_eq!(thread.comments[1].text, "> I m so happy\n\nSo are we.");
    assert_eq!(
        thread.comments[0].time.as_deref(),
        Some("2010-10-22T20:14:00+01:00")
    );
}

#[test]
fn wordpress_html_classic_theme() {
    let thread = &read_all(&fixture("post-classic.html"))[0];
    assert_eq!(
        thread.title.as_deref(),
        Some("Pork barrel politics | Trial by Jeory")
    );
    assert_eq!(
        thread.text.as_deref(),
        Some("It’s good to know the council still feels able to create new jobs.")
    );
    assert_eq!(ids(thread), ["31", "32"]);
    assert_eq!(parents(thread), [None, Some("31")]);
    assert_eq!(authors(thread), ["Eastenders", "Curious Cat"]);
    assert_eq!(
        thread.comments[0].text,
        "Complete and utter rubbish.\n\nNot once was I approached by them."
    );
    assert_eq!(
        thread.comments[0].time.as_deref(),
        Some("2010-11-24T15:08:00")
    );
    assert_eq!(
        thread.comments[1].text,
        "You are mistaken in your understanding of what I wrote."
    );
}

#[test]
fn wordpress_html_bold_authors_local_dates_and_pings() {
    let thread = &read_all(&fixture("post-de-bold-authors.html"))[0];
    assert_eq!(thread.title.as_deref(), Some("Neue Radwege im Bezirk"));
    // The author box's link reads "View all posts by Anna Schmidt →".
    assert_eq!(thread.author.as_deref(), Some("Anna Schmidt"));
    assert_eq!(ids(thread), ["11", "12", "13", "14", "15"]);
    assert_eq!(parents(thread), [None, Some("11"), None, None, None]);
    // Names in <strong>, <b> and <cite> inside the author and meta blocks.
    assert_eq!(
        thread.comments[..3]
            .iter()
            .map(|c| c.author.as_deref())
            .collect::<Vec<_>>(),
        [Some("Klaus Weber"), Some("Anna Schmidt"), Some("Jürgen")]
    );
    let times: Vec<Option<&str>> = thread.comments[..3]
        .iter()
        .map(|c| c.time.as_deref())
        .collect();
    assert_eq!(
        times,
        [
            Some("2019-02-10T18:48:00"),
            Some("2019-02-11T08:05:00"),
            // Not a date: kept as written.
            Some("gestern"),
        ]
    );
    use CommentStatus::*;
    assert_eq!(
        thread.comments.iter().map(|c| c.status).collect::<Vec<_>>(),
        [Approved, Approved, Approved, Ping, Ping]
    );
    assert_eq!(
        thread.comments[3].text,
        "Pingback: Radwege in den Bezirken – Radblog"
    );
    assert_eq!(thread.comments[4].text, "Trackback: Stadtnotizen");
}

#[test]
fn wordpress_html_post_author_from_a_plain_byline() {
    let page = r#"<html><body><article><h1 class="entry-title">Budget day</h1>
<div class="entry-meta">Posted on <a href="/2015/03/03/budget/"><time datetime="2015-03-03">March 3, 2015</time></a> by Abby Jones</div>
<div class="entry-content"><p>The council meets at six.</p></div></article></body></html>"#;
    let thread = &read_str("budget.html", page, None).unwrap()[0];
    assert_eq!(thread.author.as_deref(), Some("Abby Jones"));
}

#[test]
fn wordpress_html_cut_short_leaves_a_comment_without_text() {
    let page = r#"<html><body><ol class="commentlist">
<li class="comment" id="li-comment-1"><div id="comment-1"><div class="comment-author"><cite class="fn">Ann</cite></div><p>First.</p></div></li>
<li class="comment" id="li-comment-2"><div id="comment-2"><div class="comment-author"><cite class="fn">Bob</cite></div>"#;
    let thread = &read_str("cut.html", page, None).unwrap()[0];
    assert_eq!(ids(thread), ["1", "2"]);
    assert!(!thread.comments[0].is_blank());
    // What scoring reports and leaves out.
    assert!(thread.comments[1].is_blank());
}

// ---------------------------------------------------------------- Disqus

#[test]
fn disqus_export_groups_posts_into_threads() {
    let threads = read_all(&fixture("export-disqus.xml"));
    // The thread without posts is left out.
    assert_eq!(threads.len(), 1);
    let thread = &threads[0];
    assert_eq!(thread.id, "5001");
    assert_eq!(
        thread.title.as_deref(),
        Some("Deputy Mayor marched from his workplace")
    );
    assert_eq!(
        thread.url.as_deref(),
        Some("https://localmatters.example/2014/11/deputy-mayor/")
    );
    assert_eq!(thread.author.as_deref(), Some("Ted Jeory"));
    assert_eq!(
        thread.text.as_deref(),
        Some("The below piece is on the Express website.")
    );
    assert_eq!(ids(thread), ["9001", "9002", "9004", "9003"]);
    assert_eq!(parents(thread), [None, Some("9001"), Some("9002"), None]);
    assert_eq!(
        authors(thread),
        ["Badger", "Eastenders", "Ted Jeory", "watches4u"]
    );
    use CommentStatus::*;
    assert_eq!(
        thread.comments.iter().map(|c| c.status).collect::<Vec<_>>(),
        [Approved, Approved, Deleted, Spam]
    );
    assert_eq!(
        thread.comments[1].text,
        "‘Them’, ‘they’: who? What do you mean?\n\nIn English Badger."
    );
    assert_eq!(
        thread.comments[0].time.as_deref(),
        Some("2014-11-20T10:00:00Z")
    );
}

// ---------------------------------------------------------------- Reddit

#[test]
fn reddit_listing_pair() {
    let threads = read_all(&fixture("reddit-thread.json"));
    assert_eq!(threads.len(), 1);
    let thread = &threads[0];
    assert_eq!(thread.id, "6609dn");
    assert_eq!(
        thread.title.as_deref(),
        Some("CMV: Councillors shouldn't hold front-line civil service jobs")
    );
    assert_eq!(
        thread.text.as_deref(),
        Some("I think councillors should not work in job centres & similar front-line roles.")
    );
    assert_eq!(
        thread.url.as_deref(),
        Some("https://www.reddit.com/r/changemyview/comments/6609dn/cmv_councillors/")
    );
    assert_eq!(thread.author.as_deref(), Some("op_user"));
    assert_eq!(ids(thread), ["dgg02vk", "dgg9znb", "dggp3q9"]);
    assert_eq!(parents(thread), [None, Some("dgg02vk"), None]);
    assert_eq!(thread.comments[0].text, "> a) right, because women would never use them\n\ni think you vastly overestimate the number");
    assert_eq!(
        thread.comments[1].text,
        "...because it's illegal in our reality > the proposed one.\n\nKeep up, qwert"
    );
    assert_eq!(thread.comments[2].status, CommentStatus::Deleted);
    assert_eq!(thread.comments[0].time.as_deref(), Some("1492558603"));
}

#[test]
fn reddit_comment_lines() {
    let threads = read_all(&fixture("reddit-comments.jsonl"));
    assert_eq!(
        threads.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["6609dn", "2xyz"]
    );
    let thread = &threads[0];
    assert_eq!(
        authors(thread),
        ["qwertx0815", "bunchanumbersandshit", "[deleted]"]
    );
    // The first comment answers one outside the file: it becomes top level.
    assert_eq!(parents(thread), [None, Some("dgg02vk"), Some("dgg9znb")]);
    assert!(thread.comments[0]
        .text
        .ends_with("overestimate & that is all"));
    assert_eq!(thread.comments[2].status, CommentStatus::Deleted);
}

#[test]
fn reddit_corpus_files_read() {
    // The corpora live beside the repository, in shared/data; a checkout
    // without them has nothing to read here.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/habernal-cmv-adhominem/threads");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.take(50) {
        let path = entry.unwrap().path();
        let threads = read_all(&path);
        assert_eq!(threads.len(), 1, "{}", path.display());
        assert!(!threads[0].comments.is_empty());
    }
}

#[test]
fn reddit_dump_with_a_bad_line_keeps_the_good_ones() {
    let results: Vec<_> = open(&Source::Path(fixture("reddit-pushshift.jsonl")), None)
        .unwrap()
        .collect();
    let errors: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].ends_with("reddit-pushshift.jsonl:4)") && !errors[0].contains("column"),
        "{}",
        errors[0]
    );
    let threads: Vec<&Thread> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(threads.len(), 1);
    let thread = threads[0];
    assert_eq!(thread.id, "pier1");
    assert_eq!(ids(thread), ["k1a01", "k1a02", "k1a05", "k1a03"]);
    assert_eq!(
        thread.comments[0].text,
        "The pier has been closed since March.\n\n\u{200B}\n\nAnyone know why?"
    );
    assert_eq!(
        thread.comments[1].text,
        "Repairs to the railings & the deck."
    );
    assert_eq!(thread.comments[3].status, CommentStatus::Deleted);
    assert!(thread.comments[3].is_blank());
}

// ---------------------------------------------------------------- JSON Lines

#[test]
fn jsonl_crawl_with_parent_ids_and_urls() {
    let threads = read_all(&fixture("crawl.jsonl"));
    assert_eq!(threads.len(), 2);
    let crossing = &threads[0];
    assert_eq!(crossing.id, "https://harbourtown.example/2021/05/crossing/");
    assert_eq!(crossing.url.as_deref(), Some(crossing.id.as_str()));
    assert_eq!(ids(crossing), ["501", "502", "503"]);
    assert_eq!(parents(crossing), [None, Some("501"), None]);
    assert_eq!(ids(&threads[1]), ["601", "602"]);
    assert_eq!(parents(&threads[1]), [None, Some("601")]);
}

#[test]
fn jsonl_comments_threads_and_bad_lines() {
    let results: Vec<_> = open(&Source::Path(fixture("comments.jsonl")), None)
        .unwrap()
        .collect();
    assert_eq!(results.len(), 5);
    let t1 = results[0].as_ref().unwrap();
    assert_eq!(t1.id, "t1");
    assert_eq!(
        t1.title.as_deref(),
        Some("Deputy Mayor marched from his workplace")
    );
    assert_eq!(ids(t1), ["c1", "c2", "c3"]);
    assert_eq!(parents(t1), [None, Some("c1"), Some("c1")]);
    assert_eq!(t1.comments[2].time.as_deref(), Some("2014-11-20T10:10:00Z"));
    let t2 = results[1].as_ref().unwrap();
    assert_eq!(
        (t2.id.as_str(), t2.url.as_deref()),
        ("t2", Some("https://example.com/pork"))
    );
    assert_eq!(ids(t2), ["a", "c2"]);
    assert_eq!(results[2].as_ref().unwrap().id, "line-6");
    let err = results[3].as_ref().unwrap_err().to_string();
    assert!(
        err.contains("invalid json") && err.contains("comments.jsonl:7)"),
        "{err}"
    );
    assert_eq!(
        results[4].as_ref().unwrap().comments[0].text,
        "After the bad line"
    );
}

#[test]
fn writer_output_reads_back() {
    for path in [
        "export.wxr",
        "export-disqus.xml",
        "reddit-thread.json",
        "post-classic.html",
    ] {
        let threads = read_all(&fixture(path));
        let mut out = Vec::new();
        for thread in &threads {
            referee_thread::write_jsonl(&mut out, thread).unwrap();
        }
        assert_eq!(
            read_bytes("out.jsonl", &out, None).unwrap(),
            threads,
            "{path}"
        );
    }
}

// ---------------------------------------------------------------- bad input

#[test]
fn empty_input_is_a_clear_error_in_every_format() {
    for format in InputFormat::ALL {
        let err = read_str("empty.txt", "", Some(format)).unwrap_err();
        assert_eq!(err.to_string(), "empty input (empty.txt)");
    }
}

#[test]
fn invalid_utf8_gives_the_byte_offset_in_every_format() {
    let content = b"<?xml version=\"1.0\"?>\n<rss><channel><item><title>caf\xe9</title></item></channel></rss>\n";
    let line = b"{\"text\":\"caf\xe9\"}\n";
    for format in InputFormat::ALL {
        let content: &[u8] = if format == InputFormat::Jsonl {
            line
        } else {
            content
        };
        let err = read_bytes("latin1.xml", content, Some(format))
            .unwrap_err()
            .to_string();
        assert!(err.contains("(latin1.xml"), "{format}: {err}");
        assert!(
            err.contains("utf-8") || err.contains("byte"),
            "{format}: {err}"
        );
    }
    let err = read_bytes("x.txt", b"Title\nbody \xff\n", None).unwrap_err();
    assert_eq!(err.to_string(), "invalid utf-8 (x.txt, byte 11)");
}

#[test]
fn malformed_structured_input_names_the_place() {
    let cases: [(&str, InputFormat, &str); 6] = [
        (
            "<rss><channel><item><title>x</wrong></item></channel></rss>",
            InputFormat::Wxr,
            "byte",
        ),
        (
            "<html><body>not an export</body></html>",
            InputFormat::Wxr,
            "expected a wordpress export",
        ),
        (
            "<disqus><post dsq:id=\"1\"><message>x",
            InputFormat::Disqus,
            "truncated",
        ),
        ("<rss/>", InputFormat::Disqus, "expected a disqus export"),
        (
            "[{\"kind\": \"Listing\", \"data\": {\"children\": [",
            InputFormat::Reddit,
            "byte 42",
        ),
        ("42", InputFormat::Reddit, "expected a reddit listing"),
    ];
    for (content, format, expected) in cases {
        let err = read_str("bad", content, Some(format))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("(bad") && err.contains(expected),
            "{format}: {err}"
        );
    }
}

#[test]
fn binary_input_says_it_looks_binary() {
    let gzip = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03comments";
    for format in [None, Some(InputFormat::Text), Some(InputFormat::Jsonl)] {
        let err = read_bytes("comments.jsonl.gz", gzip, format)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("input looks binary, not text in one of the formats text, wxr")
                && err.ends_with("(comments.jsonl.gz, byte 3)"),
            "{err}"
        );
    }
}

#[test]
fn a_detected_format_that_does_not_read_names_input_format() {
    let err = read_str("odd.json", "[1, 2, 3]\n", None)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("expected reddit posts or comments, found none (odd.json, byte 0)")
            && err.contains("read as reddit, detected from the content")
            && err.contains("--input-format: text, wxr, wordpress-html, disqus, reddit, jsonl"),
        "{err}"
    );
    // A format given by name is not second-guessed.
    let err = read_str("odd.json", "[1, 2, 3]\n", Some(InputFormat::Reddit))
        .unwrap_err()
        .to_string();
    assert!(!err.contains("--input-format"), "{err}");
}

#[test]
fn a_50_mb_comment_is_read_in_linear_time() {
    let body = "All work and no play makes Jack a dull boy. ".repeat(50 * 1024 * 1024 / 44);
    let line = format!("{{\"text\":\"{body}\"}}\n");
    let threads = read_str("big.jsonl", &line, None).unwrap();
    assert_eq!(threads[0].comments[0].text.len(), body.len());

    let page = format!("Title\n\nPost.\n\n  1. Jack says:\n\n    {body}\n");
    let threads = read_str("big.txt", &page, None).unwrap();
    assert_eq!(threads[0].comments[0].text.len(), body.trim_end().len());

    let wxr = format!("<rss><channel><item><wp:post_id>1</wp:post_id><wp:comment><wp:comment_content><![CDATA[{body}]]></wp:comment_content></wp:comment></item></channel></rss>");
    let threads = read_str("big.wxr", &wxr, Some(InputFormat::Wxr)).unwrap();
    assert_eq!(threads[0].comments[0].text.len(), body.trim_end().len());
}

#[test]
fn deeply_nested_replies_do_not_overflow() {
    let depth = 5_000;
    // WXR: a chain of replies.
    let mut wxr = String::from("<rss><channel><item><wp:post_id>1</wp:post_id>");
    for i in 1..=depth {
        wxr.push_str(&format!("<wp:comment><wp:comment_id>{i}</wp:comment_id><wp:comment_parent>{}</wp:comment_parent><wp:comment_content>r{i}</wp:comment_content></wp:comment>", i - 1));
    }
    wxr.push_str("</item></channel></rss>");
    let thread = &read_str("deep.wxr", &wxr, None).unwrap()[0];
    assert_eq!(thread.comments.len(), depth);
    assert_eq!(
        thread.comments[depth - 1].parent.as_deref(),
        Some(&*(depth - 1).to_string())
    );

    // Reddit: nesting beyond what the JSON parser accepts is an error, not a crash.
    let mut reddit = String::new();
    for i in 0..depth {
        reddit.push_str(&format!("{{\"kind\":\"t1\",\"data\":{{\"id\":\"c{i}\",\"body\":\"b\",\"link_id\":\"t3_x\",\"replies\":{{\"kind\":\"Listing\",\"data\":{{\"children\":["));
    }
    reddit.push_str(&"]}}}}".repeat(depth));
    assert!(read_str("deep.json", &format!("[{reddit}]"), None).is_err());

    // HTML: deeply nested comment lists.
    let mut html = String::from("<html><body><ol class=\"comment-list\">");
    for i in 1..=2_000 {
        html.push_str(&format!("<li id=\"comment-{i}\" class=\"comment\"><div class=\"comment-content\"><p>r{i}</p></div><ol class=\"children\">"));
    }
    html.push_str(&"</ol></li>".repeat(2_000));
    let thread = &read_str("deep.html", &html, None).unwrap()[0];
    assert_eq!(thread.comments.len(), 2_000);
    for pair in thread.comments.windows(2) {
        assert_eq!(pair[1].parent.as_deref(), Some(pair[0].id.as_str()));
    }

    // Text: indentation a thousand levels deep.
    let mut text = String::from("Title\n\nPost.\n\n");
    for i in 0..1_000 {
        text.push_str(&format!(
            "{}1. Person{i} says:\n\n{}  reply\n\n",
            " ".repeat(2 + 2 * i),
            " ".repeat(2 + 2 * i)
        ));
    }
    let thread = &read_str("deep.txt", &text, None).unwrap()[0];
    assert_eq!(thread.comments.len(), 1_000);
    assert_eq!(thread.comments[999].parent.as_deref(), Some("c999"));
}

#[test]
fn detection_reads_the_fixtures_right() {
    let cases = [
        ("export.wxr", InputFormat::Wxr),
        ("export-disqus.xml", InputFormat::Disqus),
        ("post-twentytwentyone.html", InputFormat::WordpressHtml),
        ("post-classic.html", InputFormat::WordpressHtml),
        ("reddit-thread.json", InputFormat::Reddit),
        ("reddit-comments.jsonl", InputFormat::Reddit),
        ("comments.jsonl", InputFormat::Jsonl),
        ("crawl.jsonl", InputFormat::Jsonl),
        ("reddit-pushshift.jsonl", InputFormat::Reddit),
        ("post-de-bold-authors.html", InputFormat::WordpressHtml),
    ];
    for (name, format) in cases {
        let bytes = std::fs::read(fixture(name)).unwrap();
        assert_eq!(detect(&bytes), format, "{name}");
    }
    let seed = std::fs::read(repo_file("seeds/000_bccf75438b1c52af.txt")).unwrap();
    assert_eq!(detect(&seed), InputFormat::Text);
}

// ---------------------------------------------------------------- arbitrary bytes

fn skeleton(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Text => "Title\n\n  1. A says:\n",
        InputFormat::Wxr => {
            "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><item><wp:comment>"
        }
        InputFormat::WordpressHtml => {
            "<ol class=\"comment-list\"><li id=\"comment-1\" class=\"comment\">"
        }
        InputFormat::Disqus => {
            "<disqus><thread dsq:id=\"1\"/><post dsq:id=\"2\"><thread dsq:id=\"1\"/>"
        }
        InputFormat::Reddit => {
            "[{\"kind\":\"Listing\",\"data\":{\"children\":[{\"kind\":\"t1\",\"data\":"
        }
        InputFormat::Jsonl => "{\"text\":\"a\",\"thread\":\"t\"}\n",
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_reader_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for format in InputFormat::ALL {
            let _ = read_bytes("fuzz", &bytes, Some(format));
        }
        let _ = read_bytes("fuzz", &bytes, None);
    }

    #[test]
    fn no_reader_panics_on_near_valid_input(
        tail in "[<>/a-z:_=\"' \n&;#0-9\\[\\]{},.!?-]{0,300}",
        format in prop::sample::select(InputFormat::ALL.to_vec()),
    ) {
        let content = format!("{}{tail}", skeleton(format));
        if let Ok(threads) = read_str("fuzz", &content, Some(format)) {
            for thread in threads {
                for comment in &thread.comments {
                    prop_assert!(!comment.id.is_empty());
                }
            }
        }
    }
}

/// Depths of a comment tree in reading order: each at most one deeper than
/// the one before.
fn comment_depths() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0usize..4, 1..40).prop_map(|steps| {
        let mut depths = Vec::with_capacity(steps.len());
        let mut previous: Option<usize> = None;
        for step in steps {
            let depth = match previous {
                None => 0,
                Some(p) => step.min(p + 1),
            };
            depths.push(depth);
            previous = Some(depth);
        }
        depths
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A nested numbered thread reads back with every author, parent and text.
    #[test]
    fn headered_text_round_trips(
        depths in comment_depths(),
        words in prop::collection::vec("[a-z]{3,8}( [a-z]{3,8}){2,6}\\.", 40),
    ) {
        let mut page = String::from("A title\n\nThe post.\n\n");
        let mut counters: Vec<u32> = Vec::new();
        let mut expected_parents = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        for (i, &depth) in depths.iter().enumerate() {
            counters.truncate(depth + 1);
            if counters.len() <= depth {
                counters.push(0);
            }
            counters[depth] += 1;
            open.truncate(depth);
            expected_parents.push(open.last().map(|p| format!("c{}", p + 1)));
            open.push(i);
            let indent = " ".repeat(2 + 2 * depth);
            page.push_str(&format!("{indent}{}. Person {i} says:\n\n{indent}  {}\n\n", counters[depth], words[i]));
        }
        let thread = &read_str("t.txt", &page, None).unwrap()[0];
        prop_assert_eq!(thread.comments.len(), depths.len());
        for (i, comment) in thread.comments.iter().enumerate() {
            let author = format!("Person {i}");
            prop_assert_eq!(comment.author.as_deref(), Some(author.as_str()));
            prop_assert_eq!(&comment.parent, &expected_parents[i]);
            prop_assert_eq!(&comment.text, &words[i]);
        }
    }
}

/// Seed 000 as copied (no blank lines, no headers) against its structured
/// form: every comment of the page starts a comment read from the text, and
/// no comment read holds the start of another. A comment of several
/// paragraphs may still come out as several.
#[test]
fn seed_000_text_never_merges_two_comments() {
    let from_text = seed("000_bccf75438b1c52af");
    let structured = read_all(&repo_file("seeds/000_bccf75438b1c52af.jsonl")).remove(0);
    let starts: Vec<&str> = structured
        .comments
        .iter()
        .map(|c| c.text.lines().next().unwrap_or_default())
        .collect();
    assert_eq!(starts.len(), 60);
    for start in &starts {
        let opening = from_text
            .comments
            .iter()
            .filter(|c| c.text.starts_with(start))
            .count();
        assert!(opening >= 1, "{start:?} does not start a comment");
    }
    for comment in &from_text.comments {
        let inside = starts
            .iter()
            .filter(|start| start.chars().count() >= 12)
            .filter(|start| comment.text.contains(*start) && !comment.text.starts_with(*start))
            .count();
        assert_eq!(
            inside, 0,
            "{} holds another comment: {:?}",
            comment.id, comment.text
        );
    }
    println!("{} comments read, 60 on the page", from_text.comments.len());
    assert!(from_text.comments.len() <= 97);
}
