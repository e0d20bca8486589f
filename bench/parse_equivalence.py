"""The fast rule components against spaCy's own: every token annotation equal, doc by doc.

    python bench/parse_equivalence.py CORPUS [CORPUS ...] [--limit N]

Parses each corpus (anything ``read_articles`` reads; the first N articles of each, 0 = all) with the
stock pipeline (``load_pipeline(fast_rules=False)``) and with according's (``load_pipeline()``, see
according.nlp.fast_rules) and compares, per doc: ``to_array`` of 15 token attributes, every token's
lemma, morph and POS strings, ``doc.to_json()``, and the attribute ruler's match lists (spaCy's Matcher
against the index). Prints the docs that differ (none expected) and the CPU time of both matchers.
"""
from __future__ import annotations

import argparse
import sys
import time

from according.article import Article, read_articles
from according.nlp.fast_rules import compile_patterns, indexed_matches
from according.nlp.loading import load_pipeline

ATTRS = ["ORTH", "LOWER", "NORM", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID",
         "SENT_START", "SPACY", "IS_SPACE"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+")
    parser.add_argument("--limit", type=int, default=0, help="articles per corpus (0 = all)")
    args = parser.parse_args()
    stock, fast = load_pipeline(fast_rules=False), load_pipeline()
    ruler = stock.get_pipe("attribute_ruler")
    compiled = compile_patterns(ruler)
    if compiled is None:
        print("the attribute ruler has a pattern the index does not reproduce: it runs on spaCy's Matcher", file=sys.stderr)
        return 2
    differing = 0
    for corpus in args.corpora:
        articles = [a for a in read_articles([corpus]) if isinstance(a, Article)]
        texts = [a.text for a in (articles[:args.limit] if args.limit else articles)]
        tokens, spacy_s, index_s, bad = 0, 0.0, 0.0, 0
        for k, (theirs, ours) in enumerate(zip(stock.pipe(texts, batch_size=32), fast.pipe(texts, batch_size=32))):
            tokens += len(theirs)
            same = (theirs.to_array(ATTRS) == ours.to_array(ATTRS)).all()
            same = same and [(t.lemma_, str(t.morph), t.pos_) for t in theirs] == [(t.lemma_, str(t.morph), t.pos_) for t in ours]
            same = same and theirs.to_json() == ours.to_json()
            start = time.process_time()
            expected = ruler.match(theirs)
            spacy_s += time.process_time() - start
            start = time.process_time()
            found = indexed_matches(theirs, compiled)
            index_s += time.process_time() - start
            if not same or found != expected:
                bad += 1
                print(f"  {corpus} doc {k} differs: {theirs.text[:60]!r}")
        differing += bad
        print(f"{corpus}: docs {len(texts)}, tokens {tokens:,}, differing {bad}; "
              f"attribute ruler matching CPU s: spaCy's Matcher {spacy_s:.2f}, index {index_s:.2f}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
