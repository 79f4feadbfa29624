//! Throughput of every reader on generated inputs of a few MB.
//!
//! `cargo bench -p referee-thread --bench readers`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use referee_thread::{read_str, InputFormat};

const COMMENTS: usize = 12_000;

fn sentence(i: usize) -> String {
    format!(
        "Comment number {i} says the council should publish the figures &amp; explain the decision to residents before the next meeting."
    )
}

fn text() -> String {
    let mut out = String::from("A generated post\n\nThe post body.\n\n");
    for i in 0..COMMENTS {
        let indent = if i % 3 == 0 { "  " } else { "    " };
        let number = if i % 3 == 0 { i / 3 + 1 } else { i % 3 };
        out.push_str(&format!(
            "{indent}{number}. Person {i} says:\n\n{indent}  {}\n\n",
            sentence(i)
        ));
    }
    out
}

fn wxr() -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>\n",
    );
    for post in 0..COMMENTS / 100 {
        out.push_str(&format!("<item><title>Post {post}</title><wp:post_id>{post}</wp:post_id><wp:post_type>post</wp:post_type><content:encoded><![CDATA[<p>Body</p>]]></content:encoded>\n"));
        for i in 0..100 {
            out.push_str(&format!("<wp:comment><wp:comment_id>{i}</wp:comment_id><wp:comment_author><![CDATA[Person {i}]]></wp:comment_author><wp:comment_content><![CDATA[<p>{}</p>]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>{}</wp:comment_parent></wp:comment>\n", sentence(i), i / 2));
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel></rss>\n");
    out
}

fn wordpress_html() -> String {
    let mut out = String::from("<!DOCTYPE html><html><head><title>Post</title></head><body><h1 class=\"entry-title\">Post</h1><div class=\"entry-content\"><p>Body</p></div><ol class=\"comment-list\">");
    for i in 0..COMMENTS / 2 {
        out.push_str(&format!("<li id=\"comment-{i}\" class=\"comment\"><article class=\"comment-body\"><footer class=\"comment-meta\"><div class=\"comment-author vcard\"><b class=\"fn\">Person {i}</b></div><time datetime=\"2015-03-03T10:12:00+00:00\">March 3</time></footer><div class=\"comment-content\"><p>{}</p></div></article></li>", sentence(i)));
    }
    out.push_str("</ol></body></html>");
    out
}

fn disqus() -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/disqus-internals\">\n");
    for thread in 0..COMMENTS / 100 {
        out.push_str(&format!("<thread dsq:id=\"t{thread}\"><title>Post {thread}</title><link>https://example.com/{thread}</link></thread>\n"));
    }
    for i in 0..COMMENTS {
        out.push_str(&format!("<post dsq:id=\"p{i}\"><message><![CDATA[<p>{}</p>]]></message><createdAt>2015-03-03T10:12:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Person {i}</name></author><thread dsq:id=\"t{}\"/></post>\n", sentence(i), i % (COMMENTS / 100)));
    }
    out.push_str("</disqus>\n");
    out
}

fn reddit() -> String {
    (0..COMMENTS)
        .map(|i| {
            format!(
                "{{\"author\":\"person{i}\",\"body\":\"{}\",\"id\":\"c{i}\",\"link_id\":\"t3_{}\",\"parent_id\":\"t1_c{}\",\"created_utc\":1492558603}}\n",
                sentence(i),
                i / 100,
                i.saturating_sub(1)
            )
        })
        .collect()
}

fn jsonl() -> String {
    (0..COMMENTS)
        .map(|i| format!("{{\"id\":\"c{i}\",\"thread\":\"t{}\",\"author\":\"Person {i}\",\"text\":\"{}\"}}\n", i / 100, sentence(i)))
        .collect()
}

fn readers(c: &mut Criterion) {
    let inputs: [(InputFormat, String); 6] = [
        (InputFormat::Text, text()),
        (InputFormat::Wxr, wxr()),
        (InputFormat::WordpressHtml, wordpress_html()),
        (InputFormat::Disqus, disqus()),
        (InputFormat::Reddit, reddit()),
        (InputFormat::Jsonl, jsonl()),
    ];
    let mut group = c.benchmark_group("readers");
    group.sample_size(10);
    for (format, input) in &inputs {
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_function(format.name(), |b| {
            b.iter(|| {
                read_str("bench", black_box(input), Some(*format)).map(|threads| threads.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, readers);
criterion_main!(benches);
