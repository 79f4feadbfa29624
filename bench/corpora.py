#!/usr/bin/env python3
"""Benchmark inputs built at run time from the seed threads and the public corpora.

Nothing this script writes is committed: it goes to bench/out/.

    corpora.py comments OUT N     N comment lines {"id","text"} for throughput runs
    corpora.py rows OUT [--folds K]
                                  labelled rows with folds, the same shape as
                                  `referee eval --folds-out` (used only when
                                  that command is not available)

Rows (one JSON object per line):
    {"source": "olid", "group": "olid:86426", "fold": 3, "text": "...",
     "labels": {"abuse": true, "ad_hominem": false, "off_topic": null}}
A label is null where the source says nothing about it.

How each source becomes rows, and how rows are grouped:
- labels: every labelled comment of labels/*.jsonl, text from seeds/*.jsonl;
  group = the thread, so a thread's comments never sit in two folds.
- olid: abuse = sub-task A is OFF; ad_hominem = sub-task C is IND (an insult
  aimed at an individual; a weak signal); group = the tweet.
- davidson: abuse = class 0 (hate) or 1 (offensive); group = the tweet.
- habernal: the last comment of each thread file, ad_hominem = the file is an
  `_ah_` thread (removed by the moderators), false for `_delta_` threads;
  bodies of only [removed] or [deleted] are skipped; group = the thread file.
fold = FNV-1a 64-bit hash of the group id, mod K.

Standard library only, so it runs without the benchmark virtual environment.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
LABELS = ("abuse", "ad_hominem", "off_topic")
EMPTY_BODIES = {"[removed]", "[deleted]"}


def fnv1a64(text: str) -> int:
    """FNV-1a, 64 bits, over the UTF-8 bytes of `text`."""
    h = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def row(source: str, group: str, text: str, **labels: bool | None) -> dict:
    return {
        "source": source,
        "group": group,
        "text": text,
        "labels": {name: labels.get(name) for name in LABELS},
    }


def seed_rows(repo: Path) -> Iterator[dict]:
    texts: dict[tuple[str, str], str] = {}
    for path in sorted((repo / "seeds").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                thread = json.loads(line)
                for comment in thread.get("comments", []):
                    texts[(thread["id"], comment["id"])] = comment["text"]
    for path in sorted((repo / "labels").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            label = json.loads(line)
            key = (label["thread"], label["comment"])
            if key not in texts:
                print(f"corpora.py: {path}:{number}: unknown comment {key}", file=sys.stderr)
                continue
            yield row("labels", f"labels:{key[0]}", texts[key], **{n: label.get(n) for n in LABELS})


def olid_rows(data: Path) -> Iterator[dict]:
    with open(data / "olid" / "olid-training-v1.0.tsv", encoding="utf-8", newline="") as f:
        for record in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield row(
                "olid",
                f"olid:{record['id']}",
                record["tweet"],
                abuse=record["subtask_a"] == "OFF",
                ad_hominem=record["subtask_c"] == "IND",
            )


def davidson_rows(data: Path) -> Iterator[dict]:
    with open(data / "davidson" / "labeled_data.csv", encoding="utf-8", newline="") as f:
        for record in csv.DictReader(f):
            yield row(
                "davidson",
                f"davidson:{record['']}",
                record["tweet"],
                abuse=record["class"] in ("0", "1"),
            )


def habernal_threads(data: Path) -> Iterator[tuple[str, list[dict]]]:
    for path in sorted((data / "habernal-cmv-adhominem" / "threads").glob("*.json")):
        comments = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        yield path.stem, comments


def habernal_rows(data: Path) -> Iterator[dict]:
    for stem, comments in habernal_threads(data):
        if not comments or comments[-1]["body"].strip() in EMPTY_BODIES:
            continue
        yield row("habernal", f"habernal:{stem}", comments[-1]["body"], ad_hominem="_ah_" in stem)


def all_rows(repo: Path, data: Path) -> Iterator[dict]:
    yield from seed_rows(repo)
    yield from olid_rows(data)
    yield from davidson_rows(data)
    yield from habernal_rows(data)


def comment_texts(repo: Path, data: Path) -> list[str]:
    """Every comment-sized text the sources hold, interleaved so any prefix mixes them."""
    seeds = [
        line.strip()
        for path in sorted((repo / "seeds").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    olid = [r["text"] for r in olid_rows(data)]
    davidson = [r["text"] for r in davidson_rows(data)]
    habernal = [
        c["body"]
        for _, comments in habernal_threads(data)
        for c in comments
        if c["body"].strip() not in EMPTY_BODIES
    ]
    sources = [seeds, olid, davidson, habernal]
    mixed = []
    for i in range(max(map(len, sources))):
        mixed.extend(s[i] for s in sources if i < len(s))
    return mixed


def write_comments(out: Path, count: int, repo: Path, data: Path) -> dict:
    texts = comment_texts(repo, data)
    size = 0
    with open(out, "w", encoding="utf-8") as f:
        for i in range(count):
            line = json.dumps({"id": f"b{i}", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n"
            size += len(line.encode("utf-8"))
            f.write(line)
    return {"comments": count, "distinct_texts": min(count, len(texts)), "bytes": size}


def write_threads(out: Path, count: int, size: int, repo: Path, data: Path) -> dict:
    """The comments of `write_comments` as threads of `size`: each thread's
    post is the text after its comments, and each comment replies to the one before."""
    texts = comment_texts(repo, data)
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        for t in range(0, count, size):
            comments = [
                {"id": f"b{i}", "text": texts[i % len(texts)], "parent": f"b{i - 1}" if i > t else None}
                for i in range(t, min(t + size, count))
            ]
            post = texts[(t + size) % len(texts)]
            thread = {"id": f"t{t // size}", "title": f"Thread {t // size}", "text": post, "comments": comments}
            line = json.dumps(thread, ensure_ascii=False) + "\n"
            written += len(line.encode("utf-8"))
            f.write(line)
    return {"comments": count, "threads": -(-count // size), "bytes": written}


def write_rows(out: Path, folds: int, repo: Path, data: Path) -> dict:
    counts: dict[str, int] = {}
    with open(out, "w", encoding="utf-8") as f:
        for r in all_rows(repo, data):
            r["fold"] = fnv1a64(r["group"]) % folds
            counts[r["source"]] = counts.get(r["source"], 0) + 1
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the public corpora")
    sub = parser.add_subparsers(dest="command", required=True)
    comments = sub.add_parser("comments", help="comment lines for throughput runs")
    comments.add_argument("out", type=Path)
    comments.add_argument("count", type=int)
    threads = sub.add_parser("threads", help="the same comments as threads with a post and parents")
    threads.add_argument("out", type=Path)
    threads.add_argument("count", type=int)
    threads.add_argument("--size", type=int, default=20, help="comments per thread")
    rows = sub.add_parser("rows", help="labelled rows with folds")
    rows.add_argument("out", type=Path)
    rows.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if args.command == "comments":
        summary = write_comments(args.out, args.count, REPO, args.data)
    elif args.command == "threads":
        summary = write_threads(args.out, args.count, args.size, REPO, args.data)
    else:
        summary = write_rows(args.out, args.folds, REPO, args.data)
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
