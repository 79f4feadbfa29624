#!/usr/bin/env python3
"""Text-only baseline on exactly the rows and folds referee evaluated.

    referee eval --corpus ... --folds-out bench/folds.jsonl
    python3 bench/baseline.py bench/folds.jsonl

For every label and fold: TF-IDF word 1-2 grams + char_wb 2-5 grams,
LogisticRegression, trained on the rows of the other folds that carry the
label, predicted on the fold's rows. Prints ROC-AUC and average precision
per label and per source (plus "all"), as a Markdown table, and writes
them as JSON next to the input (<input>.baseline.json).

Creates its own virtual environment in bench/.venv on first use.
"""
import json
import sys

from benchlib import ensure_venv

LABELS = ["abuse", "ad_hominem", "off_topic"]


def main():
    ensure_venv()
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score, roc_auc_score

    if len(sys.argv) != 2:
        sys.exit("usage: baseline.py FOLDS.jsonl")
    path = sys.argv[1]
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    sys.exit(f"baseline: {path}:{n}: {e}")
    folds = sorted({r["fold"] for r in rows})
    results = []
    for label in LABELS:
        idx = [i for i, r in enumerate(rows) if r["labels"].get(label) is not None]
        if not idx:
            continue
        texts = [rows[i]["text"] for i in idx]
        y = np.array([bool(rows[i]["labels"][label]) for i in idx])
        fold = np.array([rows[i]["fold"] for i in idx])
        source = np.array([rows[i]["source"] for i in idx])
        pred = np.full(len(idx), np.nan)
        for k in folds:
            train, test = fold != k, fold == k
            if not test.any() or len(set(y[train])) < 2:
                continue
            words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
            chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
            tr = [t for t, m in zip(texts, train) if m]
            te = [t for t, m in zip(texts, test) if m]
            xtr = hstack([words.fit_transform(tr), chars.fit_transform(tr)]).tocsr()
            xte = hstack([words.transform(te), chars.transform(te)]).tocsr()
            clf = LogisticRegression(max_iter=1000, C=4.0)
            clf.fit(xtr, y[train])
            pred[test] = clf.predict_proba(xte)[:, 1]
        for src in sorted(set(source)) + ["all"]:
            m = ~np.isnan(pred) & ((source == src) if src != "all" else True)
            ys, ps = y[m], pred[m]
            if len(set(ys)) < 2:
                auc = ap = float("nan")
            else:
                auc, ap = roc_auc_score(ys, ps), average_precision_score(ys, ps)
            results.append(dict(source=src, label=label, rows=int(m.sum()), positives=int(ys.sum()), roc_auc=auc, average_precision=ap))
    print("| source | label | rows | positives | baseline ROC-AUC | baseline AP |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['source']} | {r['label']} | {r['rows']} | {r['positives']} | {r['roc_auc']:.3f} | {r['average_precision']:.3f} |")
    with open(path + ".baseline.json", "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
