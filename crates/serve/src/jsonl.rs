//! Reading the JSON Lines input contract of `/v1/score`.

use referee_thread::{Comment, Thread};
use serde::Deserialize;

use crate::error::ApiError;

#[derive(Deserialize)]
struct Post {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    parent: Option<serde_json::Value>,
    #[serde(default)]
    thread: Option<serde_json::Value>,
    #[serde(default)]
    post: Option<Post>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    comments: Option<Vec<Thread2Comment>>,
}

#[derive(Deserialize)]
struct Thread2Comment {
    #[serde(default)]
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    parent: Option<serde_json::Value>,
    #[serde(default)]
    time: Option<String>,
}

/// An id given as a string or a number.
fn id(value: Option<serde_json::Value>) -> Option<String> {
    match value? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Threads of a JSON Lines body: a thread line is one thread; consecutive
/// comment lines of the same `thread` form one thread (with the `post` of
/// its first line). A line that cannot be read is a 400 naming its number.
pub fn read_threads(body: &str) -> Result<Vec<Thread>, ApiError> {
    let mut threads: Vec<Thread> = Vec::new();
    let mut open_comment_thread = false;
    for (i, raw) in body.lines().enumerate() {
        let number = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(raw)
            .map_err(|e| ApiError::invalid(format!("line {number}: {e}")))?;
        if let Some(comments) = line.comments {
            let mut thread = Thread {
                id: id(line.id).unwrap_or_else(|| format!("line{number}")),
                title: line.title,
                text: line.text,
                url: line.url,
                author: line.author,
                comments: Vec::with_capacity(comments.len()),
            };
            for (k, c) in comments.into_iter().enumerate() {
                thread.comments.push(Comment {
                    id: id(c.id).unwrap_or_else(|| format!("c{}", k + 1)),
                    author: c.author,
                    parent: id(c.parent),
                    text: c.text,
                    time: c.time,
                    ..Comment::default()
                });
            }
            threads.push(thread);
            open_comment_thread = false;
            continue;
        }
        let text = line
            .text
            .ok_or_else(|| ApiError::invalid(format!("line {number}: missing field `text`")))?;
        let thread_id = id(line.thread);
        let comment = Comment {
            id: id(line.id).unwrap_or_else(|| format!("line{number}")),
            author: line.author,
            parent: id(line.parent),
            text,
            time: line.time,
            ..Comment::default()
        };
        let continues = open_comment_thread
            && thread_id.is_some()
            && threads
                .last()
                .is_some_and(|t| Some(&t.id) == thread_id.as_ref());
        if continues {
            threads.last_mut().expect("checked").comments.push(comment);
        } else {
            let post = line.post;
            threads.push(Thread {
                id: thread_id.unwrap_or_else(|| format!("line{number}")),
                title: post.as_ref().and_then(|p| p.title.clone()),
                text: post.as_ref().and_then(|p| p.text.clone()),
                url: post.and_then(|p| p.url),
                comments: vec![comment],
                ..Thread::default()
            });
            open_comment_thread = true;
        }
    }
    Ok(threads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_comment_and_thread_lines() {
        let body = r#"{"id":"c1","text":"a","thread":"t1","post":{"title":"T","text":"post"}}
{"id":"c2","text":"b","thread":"t1","parent":"c1"}

{"id":"t2","text":"body","comments":[{"id":1,"text":"x"},{"text":"y","parent":1}]}
{"text":"lonely"}
"#;
        let threads = read_threads(body).unwrap();
        assert_eq!(threads.len(), 3);
        assert_eq!(threads[0].comments.len(), 2);
        assert_eq!(threads[0].text.as_deref(), Some("post"));
        assert_eq!(threads[1].comments[1].parent.as_deref(), Some("1"));
        assert_eq!(threads[2].comments[0].text, "lonely");
    }

    #[test]
    fn names_the_bad_line() {
        let err = read_threads("{\"text\":\"ok\"}\n{nope\n").unwrap_err();
        assert!(err.message.starts_with("line 2:"), "{}", err.message);
        let err = read_threads("{\"id\":\"x\"}\n").unwrap_err();
        assert!(err.message.contains("line 1: missing field `text`"));
    }
}
