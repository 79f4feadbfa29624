#!/usr/bin/env python3
"""Leave-one-thread-out on the hand-labelled seed threads.

    python3 bench/seeds_loto.py [--referee target/release/referee] [--data ../shared/data] [--out bench/out/loto] [--sample N|NAME=N ...]

For every seed thread that carries labels: train a model from scratch on the
shipped corpora and every hand label except that thread's (the exact command
that made the shipped model, with the thread's labels left out), score the
thread with it, and report, per label, where each positive ranks among the
thread's comments, its score against the held-out model's thresholds, and
the thread's ROC-AUC. Prints Markdown; writes the same as JSON to
OUT/loto.json. Takes one training run per thread (about 1-2 minutes each on
2 cores).
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

from benchlib import CORPUS_PATHS, SHIPPED_CORPORA, SHIPPED_SAMPLE, read_jsonl, sample_args

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LABELS = ["abuse", "ad_hominem", "off_topic"]


def labels_in_force(label_dir):
    """(thread, comment) -> record, latest `at` wins (later line on ties)."""
    force = {}
    for path in sorted(glob.glob(os.path.join(label_dir, "*.jsonl"))):
        for rec in read_jsonl(path, "seeds_loto"):
            key = (rec["thread"], rec["comment"])
            if key not in force or rec["at"] >= force[key]["at"]:
                force[key] = rec
    return {k: v for k, v in force.items() if not v.get("withdrawn")}


def card_thresholds(path):
    """label -> {"review", "reject"} from the Thresholds table of a model card."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 3 and cells[0] in LABELS:
                out[cells[0]] = {"review": float(cells[1]), "reject": float(cells[2])}
    if set(out) != set(LABELS):
        sys.exit(f"seeds_loto: {path}: no thresholds table")
    return out


def auc(pos, neg):
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--referee", default=os.path.join(ROOT, "target/release/referee"))
    ap.add_argument("--data", default=os.environ.get("REFEREE_DATA", os.path.join(ROOT, "../shared/data")))
    ap.add_argument("--out", default=os.path.join(HERE, "out/loto"))
    ap.add_argument("--sample", action="append", metavar="N|NAME=N",
                    help="threads per corpus (0: whole corpora), or NAME=N for one corpus; repeatable, "
                         "as referee train --sample (default: the shipped model's sizes, "
                         + " ".join(SHIPPED_SAMPLE) + ")")
    args = ap.parse_args()
    label_dir = os.path.join(ROOT, "labels")
    force = labels_in_force(label_dir)
    threads = sorted({t for t, _ in force})
    corpora = [f"{name}={args.data}/{CORPUS_PATHS[name]}" for name in SHIPPED_CORPORA]
    os.makedirs(args.out, exist_ok=True)
    report = []
    for thread in threads:
        seed = os.path.join(ROOT, "seeds", thread + ".jsonl")
        if not os.path.exists(seed):
            continue
        work = os.path.join(args.out, thread)
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(os.path.join(work, "labels"))
        for path in glob.glob(os.path.join(label_dir, "*.jsonl")):
            kept = [r for r in read_jsonl(path, "seeds_loto") if r["thread"] != thread]
            with open(os.path.join(work, "labels", os.path.basename(path)), "w", encoding="utf-8") as f:
                f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in kept)
        model = os.path.join(work, "model.refm")
        cmd = [args.referee, "-q", "train", "--labels", os.path.join(work, "labels"),
               "--threads", os.path.join(ROOT, "seeds"), os.path.join(ROOT, "labels/threads"),
               "--out", model]
        cmd += sample_args(args.sample or SHIPPED_SAMPLE)
        for c in corpora:
            cmd += ["--corpus", c]
        print(f"seeds_loto: training without {thread}", file=sys.stderr, flush=True)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        thresholds = card_thresholds(os.path.join(work, "model.card.md"))
        scored = subprocess.run([args.referee, "score", "--model", model, "--format", "jsonl", seed],
                                check=True, capture_output=True, text=True).stdout
        scores = {d["id"]: d for d in map(json.loads, scored.splitlines())}
        for label in LABELS:
            rows = [(cid, scores[cid]["scores"][label], force[(thread, cid)][label])
                    for (t, cid) in force if t == thread and cid in scores]
            pos = [s for _, s, y in rows if y]
            if not pos:
                continue
            neg = [s for _, s, y in rows if not y]
            rows.sort(key=lambda r: -r[1])
            positives = [dict(comment=cid, rank=i + 1, score=round(s, 3),
                              review=s >= thresholds[label]["review"],
                              reject=s >= thresholds[label]["reject"])
                         for i, (cid, s, y) in enumerate(rows) if y]
            report.append(dict(thread=thread, label=label, comments=len(rows),
                               roc_auc=auc(pos, neg), review=thresholds[label]["review"],
                               positives=positives))
    with open(os.path.join(args.out, "loto.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    print("| thread | label | comments | ROC-AUC in thread | review threshold | positives: rank, score (✓ flagged) |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for r in report:
        cells = ", ".join(f"{p['comment']} {p['rank']}, {p['score']:.2f}{' ✓' if p['review'] else ''}"
                          for p in r["positives"])
        print(f"| {r['thread'][:3]} | {r['label']} | {r['comments']} | {r['roc_auc']:.3f} | {r['review']:.3f} | {cells} |")


if __name__ == "__main__":
    main()
