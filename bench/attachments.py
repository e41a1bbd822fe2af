"""Attachment reading: text quality per kind against the text a document was made from, OCR
character accuracy in Polish (diacritics included), pages per second and memory.

    uv run python bench/attachments.py              # 6 documents per kind
    uv run python bench/attachments.py --documents 3

Documents are generated (scraper/demo/documents.py) from the replicas' article texts, each cut
to what fits one A4 page: PDFs with a text layer, DOCX, ODT, and scans of the same texts at 300,
200 and 150 dpi (grey paper, a rotation of up to ±0.6°, dust), and "poor" scans at 300 and
150 dpi (a copy of a copy: greyer paper, paler ink, blur, up to ±1.5°, more dust, JPEG quality
35). Each is read as the archive reads
it: `read_isolated()`, a worker process per document under its limits, one at a time.

- token F1: words (lower case) of the text read against the source's, as multisets
- character accuracy: 1 - Levenshtein distance / length of the source (whitespace collapsed)
- diacritic recall: of the source's ą ć ę ł ń ó ś ź ż (and capitals), the share the text has
- pages/s: pages read per second of wall clock, worker start included
- peak RSS: the largest reader process (the worker, pdftotext, pdftoppm or tesseract)

Targets (issue 20): text layers ≥ 0.99 token F1; 300-dpi scans ≥ 0.95 character accuracy.
Writes bench/results/attachments.json.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.attachments.isolate import read_isolated  # noqa: E402
from scraper.demo import documents  # noqa: E402
from scraper.demo.content import load_articles  # noqa: E402
from scraper.demo.page import body_paragraphs  # noqa: E402
from scraper.demo.sites import REPLICAS  # noqa: E402

PAGE_CHARS = 1500  # what fits one generated A4 page with room to spare
DIACRITICS = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
KINDS = {
    "pdf text layer": lambda text, seed: documents.text_pdf(text),
    "docx": lambda text, seed: documents.docx(text),
    "odt": lambda text, seed: documents.odt(text),
    "scan 300 dpi": lambda text, seed: documents.scanned_pdf(text, dpi=300, seed=seed),
    "scan 200 dpi": lambda text, seed: documents.scanned_pdf(text, dpi=200, seed=seed),
    "scan 150 dpi": lambda text, seed: documents.scanned_pdf(text, dpi=150, seed=seed),
    "poor scan 300": lambda text, seed: documents.scanned_pdf(text, dpi=300, seed=seed, poor=True),
    "poor scan 150": lambda text, seed: documents.scanned_pdf(text, dpi=150, seed=seed, poor=True),
}
TARGETS = {"pdf text layer": ("token_f1", 0.99), "docx": ("token_f1", 0.99), "odt": ("token_f1", 0.99),
           "scan 300 dpi": ("char_accuracy", 0.95)}
RESULTS = Path(__file__).resolve().parent / "results"


def sources(count: int) -> list[list[str]]:
    """Article texts of every replica, longest first, each cut to one page of paragraphs."""
    texts = []
    for replica in REPLICAS.values():
        for article in load_articles(replica.content):
            paragraphs, size = [article["title"]], len(article["title"])
            for paragraph in body_paragraphs(article):
                if size + len(paragraph) > PAGE_CHARS:
                    break
                paragraphs.append(paragraph)
                size += len(paragraph)
            texts.append(paragraphs)
    texts.sort(key=lambda t: -sum(map(len, t)))
    return texts[:count]


def words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()


def token_f1(found: str, source: str) -> float:
    a, b = Counter(words(found)), Counter(words(source))
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def char_accuracy(found: str, source: str) -> float:
    found, source = " ".join(found.split()), " ".join(source.split())
    return max(0.0, 1 - levenshtein(found, source) / len(source))


def diacritic_recall(found: str, source: str) -> float:
    wanted = Counter(ch for ch in source if ch in DIACRITICS)
    got = Counter(ch for ch in found if ch in DIACRITICS)
    return sum((wanted & got).values()) / max(1, sum(wanted.values()))


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def measure(kind: str, texts: list[list[str]]) -> dict:
    made = [KINDS[kind](text, seed) for seed, text in enumerate(texts)]
    scores, pages, errors = [], 0, 0
    started = time.perf_counter()
    for data, text in zip(made, texts):
        reading = read_isolated(data)
        errors += bool(reading.error)
        pages += len(reading.pages)
        found = "\n\n".join(p.text for p in reading.pages)
        source = "\n\n".join(text)
        scores.append((token_f1(found, source), char_accuracy(found, source), diacritic_recall(found, source),
                       [p.confidence for p in reading.pages if p.confidence is not None]))
    elapsed = time.perf_counter() - started
    confidences = [c for *_, cs in scores for c in cs]
    return {
        "kind": kind, "documents": len(texts), "pages": pages, "errors": errors,
        "token_f1": round(statistics.mean(s[0] for s in scores), 4),
        "char_accuracy": round(statistics.mean(s[1] for s in scores), 4),
        "diacritic_recall": round(statistics.mean(s[2] for s in scores), 4),
        "ocr_confidence": round(statistics.mean(confidences), 1) if confidences else None,
        "pages_per_s": round(pages / elapsed, 2),
        "peak_rss_mb": round(children_peak_mb(), 1),
    }


def verdict(row: dict) -> str:
    if row["kind"] not in TARGETS:
        return ""
    metric, target = TARGETS[row["kind"]]
    return f"{metric} ≥ {target}: {'PASS' if row[metric] >= target else 'FAIL'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=6, help="documents per kind")
    parser.add_argument("--kinds", nargs="*", choices=KINDS, default=list(KINDS), metavar="KIND",
                        help="only these kinds (quoted names from the table)")
    args = parser.parse_args(argv)
    texts = sources(args.documents)
    rows = []
    print(f"{'kind':16} {'docs':>4} {'pages':>5} {'err':>3} {'token F1':>8} {'char acc':>8} "
          f"{'diacr.':>6} {'OCR conf':>8} {'pages/s':>7} {'peak RSS MB':>11}  target")
    for kind in args.kinds:
        row = measure(kind, texts)
        rows.append(row)
        print(f"{kind:16} {row['documents']:4} {row['pages']:5} {row['errors']:3} {row['token_f1']:8.4f} "
              f"{row['char_accuracy']:8.4f} {row['diacritic_recall']:6.3f} "
              f"{row['ocr_confidence'] if row['ocr_confidence'] is not None else '':>8} "
              f"{row['pages_per_s']:7.2f} {row['peak_rss_mb']:11.1f}  {verdict(row)}", flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "attachments.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 1 if any("FAIL" in verdict(row) for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
