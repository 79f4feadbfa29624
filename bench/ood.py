#!/usr/bin/env python3
"""Out-of-domain evaluation: the rule that decides modelling changes.

    python3 bench/ood.py [--referee target/release/referee] [--data ../shared/data]
                         [--out bench/out/ood] [--sample 4000] [--seeds loto|out]
                         [--corpus NAME]... [--score-only NAME]...

For every training corpus X: train referee on everything else (the corpora
of the shipped model's training command and the seed threads' hand
labels), score X's comments in their threads (post and parent as context)
and on their text alone, and fit the plain baseline (scikit-learn TF-IDF
word 1-2 + char_wb 2-5 grams, logistic regression) on exactly the comments
that referee model was trained on. The seed threads are held out one thread
at a time (`--seeds out`: all five at once, one training run). Sets no
model is trained on are scored with the model trained on everything:
the corpora of `--score-only` (by default the ones the shipped model
leaves out: Davidson), ../shared/data/blog-threads (threads rebuilt from
the gold files), C3 (one thread per article), and the identity-term
templates of crates/train/data/identity_templates.txt.

Per set and label: ROC-AUC and average precision of referee in context, of
referee on the text alone, of the baseline, and for off_topic of
1 - TF-IDF cosine between the comment and its post (its parent when there
is no post, the rest of its thread when there is neither). Then the mean
out-of-domain ROC-AUC per label, and the identity templates' subgroup,
BPSN and BNSP AUCs (Borkan et al. 2019).

Corpora are subsampled to `--sample` threads each (a stable hash picks
them, as `referee train --sample` does) so that the whole run takes minutes.
Writes OUT/ood.md (the Markdown of BENCHMARKS.md's Quality section) and
OUT/ood.json; nothing outside OUT. Creates bench/.venv on first use.
"""
import argparse
import csv
import glob
import json
import os
import shutil
import subprocess
import sys
import time

from benchlib import CORPUS_PATHS, SHIPPED_CORPORA, SHIPPED_SCORE_ONLY, ensure_venv, read_jsonl, sample_args

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LABELS = ["abuse", "ad_hominem", "off_topic"]
TEMPLATES = os.path.join(ROOT, "crates", "train", "data", "identity_templates.txt")



def log(msg):
    print(f"ood: {msg}", file=sys.stderr, flush=True)


class Referee:
    def __init__(self, binary, data, out, sample):
        self.binary, self.data, self.out, self.sample = binary, data, out, sample

    def train(self, name, corpora, labels_dir):
        """Trains a model; returns (model path, threads trained on)."""
        model = os.path.join(self.out, f"{name}.refm")
        threads = os.path.join(self.out, f"{name}.threads.jsonl")
        cmd = [self.binary, "-q", "train", "--labels", labels_dir,
               "--threads", os.path.join(ROOT, "seeds"), os.path.join(ROOT, "labels", "threads"),
               "--out", model, "--threads-out", threads]
        cmd += sample_args(self.sample)
        for c, path in corpora:
            cmd += ["--corpus", f"{c}={os.path.join(self.data, path)}"]
        started = time.time()
        log(f"training {name}")
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        log(f"trained {name} in {time.time() - started:.0f}s")
        return model, list(read_jsonl(threads, "ood"))

    def score(self, model, threads, name):
        """(thread id, comment id) -> scores, for thread objects."""
        path = os.path.join(self.out, f"{name}.input.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for t in threads:
                f.write(json.dumps(t, ensure_ascii=False) + "\n")
        out = subprocess.run([self.binary, "score", "--model", model, "--format", "jsonl", path],
                             check=True, capture_output=True, text=True).stdout
        return {(d["thread"], d["id"]): d["scores"] for d in map(json.loads, out.splitlines())}


def alone(threads):
    """Every labelled comment as a thread of its own: no post, no parent."""
    out = []
    for t in threads:
        for c in t["thread"]["comments"]:
            out.append({"id": f"{t['thread']['id']}/{c['id']}",
                        "comments": [{"id": c["id"], "text": c["text"]}]})
    return out


def rows_of(threads):
    """(thread id, comment id, text, labels, reference text for similarity)."""
    rows = []
    for t in threads:
        th = t["thread"]
        by_id = {c["id"]: c for c in th["comments"]}
        post = " ".join(x for x in (th.get("title"), th.get("text")) if x)
        for c, labels in zip(th["comments"], t["labels"]):
            if not any(v is not None for v in labels.values()):
                continue
            parent = by_id.get(c.get("parent") or "")
            # What off_topic is judged against: the post, else the parent,
            # else the rest of the thread (None: computed from the sums).
            ref = post or (parent["text"] if parent else None)
            rows.append((th["id"], c["id"], c["text"], labels, ref))
    return rows


class Baseline:
    """TF-IDF + logistic regression per label, fitted on training threads."""

    def __init__(self, threads):
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        self.hstack = hstack
        rows = rows_of(threads)
        texts = [r[2] for r in rows]
        self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        x = hstack([self.words.fit_transform(texts), self.chars.fit_transform(texts)]).tocsr()
        self.models = {}
        for label in LABELS:
            idx = [i for i, r in enumerate(rows) if r[3].get(label) is not None]
            y = [bool(rows[i][3][label]) for i in idx]
            if len(set(y)) < 2:
                continue
            clf = LogisticRegression(max_iter=1000, C=4.0)
            clf.fit(x[idx], y)
            self.models[label] = clf

    def predict(self, texts, label):
        if label not in self.models:
            return None
        x = self.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()
        return self.models[label].predict_proba(x)[:, 1]

    def distance(self, rows):
        """1 - cosine of the word TF-IDF vectors (IDF of the training
        texts) of each row's comment and its reference text; a row without
        one is compared with the sum of the other comments of its thread."""
        import numpy as np
        from sklearn.preprocessing import normalize
        a = self.words.transform([r[2] for r in rows])
        b = self.words.transform([r[4] or "" for r in rows]).tolil()
        by_thread = {}
        for i, r in enumerate(rows):
            by_thread.setdefault(r[0], []).append(i)
        for idx in by_thread.values():
            total = a[idx].sum(axis=0)
            for i in idx:
                if rows[i][4] is None:
                    b[i] = total - a[i].toarray()
        b = normalize(b.tocsr())
        return 1.0 - np.asarray(a.multiply(b).sum(axis=1)).ravel()


def metrics(y, s):
    from sklearn.metrics import average_precision_score, roc_auc_score
    if len(set(y)) < 2:
        return None
    return dict(auc=float(roc_auc_score(y, s)), ap=float(average_precision_score(y, s)))


KINDS = ("referee", "referee_text", "baseline", "cosine")


def collect(test, model, referee, baseline, name):
    """Per label: truths and the scores of every kind, for one held-out set."""
    ctx = referee.score(model, [t["thread"] for t in test], f"{name}.ctx")
    txt = referee.score(model, alone(test), f"{name}.text")
    rows = rows_of(test)
    out = {}
    for label in LABELS:
        picked = [r for r in rows if r[3].get(label) is not None]
        if not picked:
            continue
        texts = [r[2] for r in picked]
        got = dict(
            y=[bool(r[3][label]) for r in picked],
            referee=[ctx[(r[0], r[1])][label] for r in picked],
            referee_text=[txt[(f"{r[0]}/{r[1]}", r[1])][label] for r in picked],
        )
        pred = baseline.predict(texts, label)
        if pred is not None:
            got["baseline"] = [float(p) for p in pred]
        if label == "off_topic":
            got["cosine"] = [float(d) for d in baseline.distance(picked)]
        out[label] = got
    return out


def merge(collected):
    """Pools the collections of several held-out parts of one set."""
    out = {}
    for part in collected:
        for label, got in part.items():
            into = out.setdefault(label, {})
            for k, v in got.items():
                into.setdefault(k, []).extend(v)
    return out


def summarise(name, collected, results):
    """Appends the metrics of one set per label to `results`."""
    for label in LABELS:
        got = collected.get(label)
        if not got or sum(got["y"]) in (0, len(got["y"])):
            continue
        y = got["y"]
        entry = dict(set=name, label=label, rows=len(y), positives=sum(y))
        for k in KINDS:
            if k in got and len(got[k]) == len(y):
                entry[k] = metrics(y, got[k])
        results.append(entry)
        log(f"{name} {label}: " + ", ".join(f"{k} {entry[k]['auc']:.3f}" for k in KINDS if entry.get(k)))


def blog_threads(data):
    """The hand-labelled blog and forum threads, rebuilt from their gold
    files: each comment runs from its `starts_with` to the next one's; the
    page text before the first comment is the post."""
    out = []
    for gold in sorted(glob.glob(os.path.join(data, "blog-threads", "*.gold.jsonl"))):
        page = open(gold.replace(".gold.jsonl", ".txt"), encoding="utf-8").read()
        slug = os.path.basename(gold).replace(".gold.jsonl", "")
        rows = list(read_jsonl(gold, "ood"))
        starts, at = [], 0
        for r in rows:
            i = page.find(r["starts_with"], at)
            if i < 0:
                sys.exit(f"ood: {gold}: comment {r['n']} not found in the page")
            starts.append(i)
            at = i + 1
        comments, labels = [], []
        for k, r in enumerate(rows):
            end = starts[k + 1] if k + 1 < len(rows) else len(page)
            c = {"id": f"c{r['n']}", "text": page[starts[k]:end].strip()}
            if r.get("author"):
                c["author"] = r["author"]
            if r.get("parent_n"):
                c["parent"] = f"c{r['parent_n']}"
            comments.append(c)
            labels.append({l: bool(r[l]) for l in LABELS})
        post = page[:starts[0]].strip()
        thread = {"id": slug, "comments": comments}
        if post:
            thread["text"] = post
        out.append(dict(source="blog-threads", group=slug, thread=thread, labels=labels))
    return out


def c3_threads(data):
    """C3's comments, one thread per article (no article text: the other
    comments are the context). Labels by strict majority, as NOTES.md says."""
    path = os.path.join(data, "c3", "C3_anonymized.csv")
    by_article = {}

    def votes(cell, name):
        for line in (cell or "").splitlines():
            k, _, v = line.partition(":")
            if k.strip() == name:
                return int(v)
        return 0

    with open(path, encoding="utf-8", newline="") as f:
        for n, r in enumerate(csv.DictReader(f)):
            tox_raters = int(float(r["njudgements_toxicity_expt"] or 0))
            con_raters = int(float(r["njudgements_constructiveness_expt"] or 0))
            if not tox_raters or not con_raters:
                continue
            tox = r["toxicity_characteristics"]
            abuse = votes(tox, "abusive") * 2 > tox_raters or float(r["crowd_toxicity_level"] or 0) >= 3
            attack = votes(tox, "personal_attack") * 2 > tox_raters
            off = votes(r["non_constructive_characteristics"], "non_relevant") * 2 > con_raters
            t = by_article.setdefault(r["article_id"], dict(source="c3", group=r["article_id"], labels=[],
                                                            thread={"id": f"c3-{r['article_id']}", "comments": []}))
            t["thread"]["comments"].append({"id": f"r{n}", "text": r["comment_text"]})
            t["labels"].append(dict(abuse=abuse, ad_hominem=attack, off_topic=off))
    return [by_article[k] for k in sorted(by_article)]


def template_rows():
    """(text, identity term or None, attacking) from the identity templates."""
    terms, templates, rows = [], [], []
    with open(TEMPLATES, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            kind, _, text = line.partition(" ")
            if kind == "term":
                terms.append(text.strip())
            elif kind in ("neutral", "positive", "attack"):
                templates.append((kind, text.strip()))
            else:
                sys.exit(f"ood: {TEMPLATES}:{n}: unknown kind {kind!r}")
    for kind, template in templates:
        for term in terms:
            text = template.replace("{X}", term)
            text = text[0].upper() + text[1:]
            rows.append((text, term, kind))
    return rows


def identity(referee, model, out_rows):
    """Subgroup, BPSN and BNSP AUCs of abuse on the identity templates."""
    rows = template_rows()
    threads = [{"id": f"t{i}", "comments": [{"id": "c1", "text": r[0]}]} for i, r in enumerate(rows)]
    scores = referee.score(model, threads, "identity")
    s = [scores[(f"t{i}", "c1")]["abuse"] for i in range(len(rows))]
    y = [r[2] == "attack" for r in rows]
    terms = sorted({r[1] for r in rows})
    report = []
    for term in terms:
        sub = [i for i, r in enumerate(rows) if r[1] == term]
        bg = [i for i, r in enumerate(rows) if r[1] != term]
        sub_auc = metrics([y[i] for i in sub], [s[i] for i in sub])
        bpsn = [i for i in sub if not y[i]] + [i for i in bg if y[i]]
        bnsp = [i for i in sub if y[i]] + [i for i in bg if not y[i]]
        report.append(dict(
            term=term,
            subgroup=sub_auc["auc"] if sub_auc else None,
            bpsn=metrics([y[i] for i in bpsn], [s[i] for i in bpsn])["auc"],
            bnsp=metrics([y[i] for i in bnsp], [s[i] for i in bnsp])["auc"],
            benign_max=max(s[i] for i in sub if not y[i]),
            attack_min=min(s[i] for i in sub if y[i]),
        ))
    overall = metrics(y, s)["auc"]
    out_rows.update(identity=report, identity_overall=overall, identity_templates=len(rows))
    return report, overall


def fmt(m, key="auc"):
    return "–" if not m else f"{m[key]:.3f}"


def render(results, ident, overall, n_templates, args, elapsed):
    lines = [
        "Out-of-domain ROC-AUC / AP (`python3 bench/ood.py "
        + (f"--model {args.model} --trained {args.trained}" if args.model
           else "".join(f"--sample {n} " for n in args.sample) + f"--seeds {args.seeds}" + "".join(f" --corpus {c}" for c in (args.corpus or []))
           + "".join(f" --score-only {c}" for c in args.score_only))
        + "`, "
        f"{elapsed / 60:.0f} min): referee in context, referee on the text alone, the TF-IDF + LR "
        "baseline fitted on the same comments in the same run, and for off_topic 1 − TF-IDF cosine to the "
        "post (no training).",
        "",
        "| held-out set | label | rows | pos | referee | text alone | baseline | 1 − cosine |",
        "|---|---|---:|---:|---|---|---|---|",
    ]
    for r in results:
        cell = lambda k: "–" if not r.get(k) else f"{r[k]['auc']:.3f} / {r[k]['ap']:.3f}"
        lines.append(f"| {r['set']} | {r['label']} | {r['rows']} | {r['positives']} | {cell('referee')} | "
                     f"{cell('referee_text')} | {cell('baseline')} | {cell('cosine')} |")
    lines += ["", "| mean out-of-domain ROC-AUC | sets | referee | text alone | baseline | 1 − cosine |",
              "|---|---:|---:|---:|---:|---:|"]
    for label in LABELS:
        picked = [r for r in results if r["label"] == label]
        cells = []
        for k in KINDS:
            aucs = [r[k]["auc"] for r in picked if r.get(k)]
            cells.append(f"{sum(aucs) / len(aucs):.3f}" if aucs else "–")
        lines.append(f"| {label} | {len(picked)} | " + " | ".join(cells) + " |")
    if ident:
        lines += ["", f"Identity-term templates ({n_templates} sentences: every term in every neutral, positive "
                  f"and attacking template), abuse score of the full model; overall ROC-AUC {overall:.3f}. "
                  "Subgroup AUC separates attacks from benign sentences that name the same term; BPSN "
                  "(background positive, subgroup negative) is low when benign mentions of the term outscore "
                  "attacks on others; BNSP when attacks on the term score below benign sentences about others.",
                  "", "| term | subgroup AUC | BPSN AUC | BNSP AUC | highest benign | lowest attack |",
                  "|---|---:|---:|---:|---:|---:|"]
        for r in ident:
            sub = "–" if r["subgroup"] is None else f"{r['subgroup']:.3f}"
            lines.append(f"| {r['term']} | {sub} | {r['bpsn']:.3f} | {r['bnsp']:.3f} | "
                         f"{r['benign_max']:.3f} | {r['attack_min']:.3f} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--referee", default=os.path.join(ROOT, "target/release/referee"))
    ap.add_argument("--data", default=os.environ.get("REFEREE_DATA", os.path.join(ROOT, "../shared/data")))
    ap.add_argument("--out", default=os.path.join(HERE, "out/ood"))
    ap.add_argument("--sample", action="append", metavar="N|NAME=N",
                    help="threads per corpus (0: all), or NAME=N for one corpus; repeatable, "
                         "as referee train --sample (default 4000)")
    ap.add_argument("--seeds", choices=["loto", "out"], default="loto")
    ap.add_argument("--corpus", action="append", choices=sorted(CORPUS_PATHS),
                    help="train on these corpora (repeatable; default: the shipped model's)")
    ap.add_argument("--score-only", action="append", choices=sorted(CORPUS_PATHS), metavar="NAME",
                    help="score this corpus held out like the others but never train on it (repeatable; "
                    "default with the shipped corpora: the ones the shipped model leaves out)")
    ap.add_argument("--model", help="score only the sets no model trains on (blog threads, C3, identity "
                    "templates) with this model, the baseline fitted on --trained")
    ap.add_argument("--trained", help="with --model: the threads it was trained on (referee train --threads-out)")
    args = ap.parse_args()
    corpora = [(c, CORPUS_PATHS[c]) for c in (args.corpus or SHIPPED_CORPORA)]
    if args.score_only is None:
        args.score_only = [] if args.corpus else SHIPPED_SCORE_ONLY
    if args.model and not args.trained:
        sys.exit("ood: --model needs --trained")
    if not os.path.isdir(args.data):
        print(f"ood: skipped: no corpora at {args.data}")
        return
    ensure_venv()
    started = time.time()
    os.makedirs(args.out, exist_ok=True)
    args.sample = args.sample or ["4000"]
    referee = Referee(args.referee, args.data, args.out, args.sample)
    labels_dir = os.path.join(ROOT, "labels")
    results, extra = [], {}

    if args.model:
        full_model, full_threads = args.model, list(read_jsonl(args.trained, "ood"))
        corpora = []
    else:
        full_model, full_threads = referee.train("full", corpora, labels_dir)
    full_base = Baseline(full_threads)

    if args.score_only and not args.model:
        scored = [(c, CORPUS_PATHS[c]) for c in args.score_only if c not in dict(corpora)]
        _, with_scored = referee.train("full-with-score-only", corpora + scored, labels_dir)
        for name, _ in scored:
            test = [t for t in with_scored if t["source"] == name]
            summarise(name, collect(test, full_model, referee, full_base, name), results)

    for name, _ in corpora:
        others = [c for c in corpora if c[0] != name]
        model, trained = referee.train(f"without-{name}", others, labels_dir)
        test = [t for t in full_threads if t["source"] == name]
        summarise(name, collect(test, model, referee, Baseline(trained), name), results)

    seeds = [t for t in full_threads if t["source"] == "labels"]
    empty = os.path.join(args.out, "no-labels")
    os.makedirs(empty, exist_ok=True)
    if args.model:
        pass
    elif args.seeds == "out":
        model, trained = referee.train("without-seeds", corpora, empty)
        summarise("seeds (all held out)", collect(seeds, model, referee, Baseline(trained), "seeds"), results)
    else:
        # One model per seed thread, each without that thread's labels; the
        # held-out threads' scores pooled into one set.
        parts = []
        for t in seeds:
            tid = t["thread"]["id"]
            work = os.path.join(args.out, f"labels-without-{tid}")
            shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work)
            for path in glob.glob(os.path.join(labels_dir, "*.jsonl")):
                kept = [r for r in read_jsonl(path, "ood") if r.get("thread") != tid]
                with open(os.path.join(work, os.path.basename(path)), "w", encoding="utf-8") as f:
                    f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in kept)
            model, trained = referee.train(f"without-{tid}", corpora, work)
            parts.append(collect([t], model, referee, Baseline(trained), f"seed-{tid}"))
        summarise("seeds (one thread out)", merge(parts), results)

    for name, test in (("blog-threads", blog_threads(args.data)), ("c3", c3_threads(args.data))):
        summarise(name, collect(test, full_model, referee, full_base, name), results)
    ident, overall = (identity(referee, full_model, extra) if os.path.exists(TEMPLATES) else (None, None))
    elapsed = time.time() - started
    md = render(results, ident, overall, extra.get("identity_templates"), args, elapsed)
    with open(os.path.join(args.out, "ood.md"), "w", encoding="utf-8") as f:
        f.write(md)
    with open(os.path.join(args.out, "ood.json"), "w", encoding="utf-8") as f:
        json.dump(dict(results=results, **extra), f, indent=1)
    print(md)


if __name__ == "__main__":
    main()
