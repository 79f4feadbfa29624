#!/usr/bin/env python3
"""The alternatives a user would otherwise pick, measured on referee's data.

Runs inside bench/.venv (bench/run-all creates it from bench/requirements.txt).

    alternatives.py speed MODEL --rows ROWS --comments COMMENTS --limit N --out OUT.json
        Train MODEL on every labelled row (all sources), then score the first N
        comments of COMMENTS for every label MODEL has. Records training time,
        scoring throughput and the process's peak memory.
    alternatives.py cv MODEL --rows ROWS --out OUT.json
        Out-of-fold ROC-AUC and average precision per source and label, on the
        folds of ROWS: for each label and fold, MODEL is trained on the rows of
        every source outside the fold that carry the label, and scores the rows
        inside it. Out-of-fold scores are pooled per source (and over every
        source, as "all") before the metrics.

MODEL is one of:
    sklearn    TfidfVectorizer (word 1-2 + char_wb 2-5, sublinear tf) fitted once
               on all texts, then one LogisticRegression per label (liblinear).
    fasttext   fastText supervised, one model per label
               (lr 0.5, 25 epochs, word bigrams, dim 50, one thread).
    profanity  the pretrained alt-profanity-check model; abuse only, no training.

Scoring times cover the models' predict calls on texts already in memory; the
referee figures they are compared with include reading and writing JSON Lines.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

LABELS = ("abuse", "ad_hominem", "off_topic")


def read_rows(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                sys.exit(f"alternatives.py: {path}:{number}: not a JSON object: {err}")
    return rows


def labelled(rows: list[dict], label: str) -> tuple[list[str], np.ndarray]:
    chosen = [r for r in rows if r["labels"].get(label) is not None]
    return [r["text"] for r in chosen], np.array([bool(r["labels"][label]) for r in chosen])


def read_comments(path: Path, limit: int) -> list[str]:
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if len(texts) == limit:
                break
            texts.append(json.loads(line)["text"])
    return texts


class Sklearn:
    """TF-IDF word and character n-grams, one logistic regression per label."""

    name = "scikit-learn TF-IDF + LogisticRegression"
    pretrained = False

    def __init__(self) -> None:
        from sklearn.pipeline import FeatureUnion
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectoriser = FeatureUnion(
            [
                ("word", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
                ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)),
            ]
        )
        self.models: dict[str, object] = {}

    def fit(self, texts_by_label: dict[str, tuple[list[str], np.ndarray]]) -> None:
        from sklearn.linear_model import LogisticRegression

        every_text = sorted({t for texts, _ in texts_by_label.values() for t in texts})
        self.vectoriser.fit(every_text)
        for label, (texts, y) in texts_by_label.items():
            model = LogisticRegression(C=4.0, solver="liblinear", class_weight="balanced")
            self.models[label] = model.fit(self.vectoriser.transform(texts), y)

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        x = self.vectoriser.transform(texts)
        return {label: m.predict_proba(x)[:, 1] for label, m in self.models.items()}


class FastText:
    """fastText supervised, one binary model per label."""

    name = "fastText supervised"
    pretrained = False

    def __init__(self) -> None:
        self.models: dict[str, object] = {}

    @staticmethod
    def line(text: str) -> str:
        return " ".join(text.split())

    def fit(self, texts_by_label: dict[str, tuple[list[str], np.ndarray]]) -> None:
        import fasttext

        for label, (texts, y) in texts_by_label.items():
            with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
                for text, positive in zip(texts, y):
                    f.write(f"__label__{int(positive)} {self.line(text)}\n")
            try:
                self.models[label] = fasttext.train_supervised(
                    f.name, lr=0.5, epoch=25, wordNgrams=2, dim=50, thread=1, seed=1, verbose=0
                )
            finally:
                os.unlink(f.name)

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        lines = [self.line(t) + "\n" for t in texts]
        out = {}
        for label, model in self.models.items():
            # model.f.predict sidesteps the wrapper's numpy-2 incompatibility.
            probs = np.empty(len(lines))
            for i, line in enumerate(lines):
                p = dict((name, prob) for prob, name in model.f.predict(line, 2, 0.0, "replace"))
                probs[i] = p.get("__label__1", 1.0 - p.get("__label__0", 1.0))
            out[label] = probs
        return out


class Profanity:
    """alt-profanity-check's shipped model, scored as abuse."""

    name = "alt-profanity-check"
    pretrained = True

    def fit(self, texts_by_label: dict[str, tuple[list[str], np.ndarray]]) -> None:
        from profanity_check import predict_prob

        self.predict_prob = predict_prob

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        return {"abuse": np.asarray(self.predict_prob(texts))}


MODELS = {"sklearn": Sklearn, "fasttext": FastText, "profanity": Profanity}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(args: argparse.Namespace) -> dict:
    rows = read_rows(args.rows)
    model = MODELS[args.model]()
    data = {label: labelled(rows, label) for label in LABELS}
    data = {label: d for label, d in data.items() if len(set(d[1])) == 2}
    started = time.perf_counter()
    model.fit(data)
    train_s = time.perf_counter() - started
    texts = read_comments(args.comments, args.limit)
    model.predict(texts[:100])  # warm-up: lazy imports and first-call allocations
    started = time.perf_counter()
    scores = model.predict(texts)
    score_s = time.perf_counter() - started
    return {
        "model": args.model,
        "name": model.name,
        "train_rows": None if model.pretrained else {label: len(d[0]) for label, d in data.items()},
        # A pretrained model is only loaded: that time is not training.
        "train_s": None if model.pretrained else train_s,
        "load_s": train_s if model.pretrained else None,
        "labels_scored": sorted(scores),
        "comments": len(texts),
        "score_s": score_s,
        "comments_per_s": len(texts) / score_s,
        "peak_rss_mb": peak_rss_mb(),
    }


def cross_validate(args: argparse.Namespace) -> dict:
    from sklearn.metrics import average_precision_score, roc_auc_score

    rows = read_rows(args.rows)
    results = []
    for label in LABELS:
        if args.model == "profanity" and label != "abuse":
            continue
        chosen = [r for r in rows if r["labels"].get(label) is not None]
        y = np.array([bool(r["labels"][label]) for r in chosen])
        if len(set(y)) < 2:
            continue
        texts = [r["text"] for r in chosen]
        folds = np.array([r["fold"] for r in chosen])
        sources = np.array([r["source"] for r in chosen])
        scores = np.full(len(chosen), np.nan)
        for fold in sorted(set(folds)):
            train = folds != fold
            if len(set(y[train])) < 2:
                continue  # a training side without both classes cannot be fitted
            model = MODELS[args.model]()
            model.fit({label: ([t for t, k in zip(texts, train) if k], y[train])})
            scores[~train] = model.predict([t for t, k in zip(texts, ~train) if k])[label]
        for source in [*sorted(set(sources)), "all"]:
            mask = ((sources == source) if source != "all" else np.full(len(chosen), True)) & ~np.isnan(scores)
            if len(set(y[mask])) < 2:
                continue
            results.append(
                {
                    "source": str(source),
                    "label": label,
                    "rows": int(mask.sum()),
                    "positives": int(y[mask].sum()),
                    "roc_auc": float(roc_auc_score(y[mask], scores[mask])),
                    "average_precision": float(average_precision_score(y[mask], scores[mask])),
                }
            )
            print(f"alternatives.py: {args.model}: {results[-1]}", file=sys.stderr)
    return {"model": args.model, "name": MODELS[args.model].name, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("speed")
    s.add_argument("model", choices=sorted(MODELS))
    s.add_argument("--rows", type=Path, required=True)
    s.add_argument("--comments", type=Path, required=True)
    s.add_argument("--limit", type=int, default=20_000)
    s.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("cv")
    c.add_argument("model", choices=sorted(MODELS))
    c.add_argument("--rows", type=Path, required=True)
    c.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    result = speed(args) if args.command == "speed" else cross_validate(args)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
