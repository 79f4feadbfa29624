#!/usr/bin/env python3
"""alt-profanity-check as a whole process, the way referee is measured.

    bench/.venv/bin/python bench/profanity_score.py < comments.jsonl > scores.jsonl

Reads JSON Lines from stdin (a comment `{"id","text"}` or a thread
`{"id","comments":[...]}` per line, as `referee score --format jsonl`
takes them), scores every comment's text with alt-profanity-check's
`predict_prob` in batches of 1,000 and writes `{"id","abuse"}` per comment,
in input order. The model reads the text alone: thread context is not
something it can use. One process, one core (scikit-learn's linear model).
"""
import json
import sys

BATCH = 1000


def comments(lines):
    """(id, text) of every comment, in input order."""
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        for comment in record.get("comments", [record]):
            yield comment["id"], comment.get("text") or ""


def flush(batch, predict_prob, out):
    scores = predict_prob([text for _, text in batch])
    for (comment_id, _), score in zip(batch, scores):
        out.write(json.dumps({"id": comment_id, "abuse": float(score)}) + "\n")
    batch.clear()


def main():
    from profanity_check import predict_prob

    out = sys.stdout
    batch = []
    for item in comments(sys.stdin):
        batch.append(item)
        if len(batch) == BATCH:
            flush(batch, predict_prob, out)
    if batch:
        flush(batch, predict_prob, out)


if __name__ == "__main__":
    main()
