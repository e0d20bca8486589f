"""Faster stand-ins for two of spaCy's rule components, with the same output token for token.

In ``en_core_web_sm`` the attribute ruler and the lemmatizer together cost about a sixth of the parse:

- the attribute ruler runs a :class:`~spacy.matcher.Matcher` of 179 one- and two-token patterns over
  every token, about 25 us a token. :class:`IndexedAttributeRuler` tests a token only against the
  patterns its first-token value (its lower case, dependency or tag) can start, remembers that outcome
  per row of attributes, and keeps spaCy's own ``set_annotations``; the matches it returns are the list
  ``AttributeRuler.match`` returns (same tuples, same order). A pattern with any operator or attribute
  it does not know leaves the whole ruler on spaCy's matcher.
- the English rule lemmatizer caches only some outcomes (not a base form such as a singular noun), so
  most tokens go through ``is_base_form`` and ``Token.morph`` again in every doc.
  :class:`MemoRuleLemmatizer` remembers every outcome by (orth, pos, morph), the three things
  ``rule_lemmatize`` reads, and writes the doc's lemmas in one ``Doc.from_array``.

:func:`speed_up` swaps them into a loaded pipeline in place of the stock components (same names, same
patterns and tables); ``load_pipeline(fast_rules=False)`` keeps the stock ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

FAST_ATTRIBUTE_RULER = "according_attribute_ruler"
FAST_LEMMATIZER = "according_lemmatizer"
MEMO_LIMIT = 200_000  # outcomes remembered before a memo starts again (bounds its memory)

_STRING_ATTRS = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "ORTH": ORTH}  # matched by string id
_FLAG_ATTRS = {"IS_SPACE": IS_SPACE}  # matched as a bool
_COLUMNS = (TAG, LOWER, DEP, ORTH, IS_SPACE)
_SELECTIVE = (LOWER, ORTH, DEP, TAG, IS_SPACE)  # a pattern is indexed by its first token's most selective value

@dataclass(frozen=True)
class _Predicate:
    """One token attribute test, as the Matcher reads it: ``attr`` equals, is in, or is not in values, or
    its string matches a regex (``re.search``)."""

    column: int
    kind: str  # "eq" | "in" | "not_in" | "regex"
    values: frozenset[int] = frozenset()  # string ids (1 and 0 for a flag)
    regex: Optional[re.Pattern[str]] = None

    def holds(self, row: list[int], strings: Callable[[int], str]) -> bool:
        value = row[self.column]
        if self.kind == "regex":
            return self.regex.search(strings(value)) is not None  # type: ignore[union-attr]
        return (value in self.values) == (self.kind != "not_in")


def _predicate(key: str, value: Any, vocab: Vocab) -> Optional[_Predicate]:
    """The predicate for one pattern key, or None when the Matcher's reading of it is not reproduced here."""
    if key in _FLAG_ATTRS and isinstance(value, bool):
        return _Predicate(_COLUMNS.index(_FLAG_ATTRS[key]), "eq", frozenset((int(value),)))
    if key not in _STRING_ATTRS:
        return None
    column = _COLUMNS.index(_STRING_ATTRS[key])
    if isinstance(value, str):
        return _Predicate(column, "eq", frozenset((vocab.strings.add(value),)))
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
            return _Predicate(column, "in" if op == "IN" else "not_in", frozenset(vocab.strings.add(v) for v in arg))
        if op == "REGEX" and isinstance(arg, str):
            return _Predicate(column, "regex", regex=re.compile(arg))
    return None


@dataclass(frozen=True)
class _Pattern:
    """One pattern of a rule: a predicate conjunction per token, no operators."""

    key: int  # the rule's match id: the hash of its index as a string, as AttributeRuler adds it
    attr_id: int  # the rule's index (the sort key that lets later rules win)
    tokens: tuple[tuple[_Predicate, ...], ...]


@dataclass(frozen=True)
class CompiledPatterns:
    """The patterns indexed by the values their first token must have, so each token is tested only
    against the patterns it can start: ``anchored[column][value]``, and ``unanchored`` for the rest.
    ``memo``: what a token's attributes (its row) start, kept across docs: a word with its tag and
    dependency label comes back again and again."""

    anchored: tuple[tuple[int, dict[int, tuple[_Pattern, ...]]], ...]
    unanchored: tuple[_Pattern, ...]
    memo: dict[tuple[int, ...], tuple[tuple[tuple[int, int], ...], tuple[_Pattern, ...]]] = field(default_factory=dict)

    def starts(self, row: list[int], strings: Callable[[int], str]) -> tuple[tuple[tuple[int, int], ...], tuple[_Pattern, ...]]:
        """The (rule index, match id) of the one-token patterns the row matches, and the longer patterns
        whose first token it matches."""
        key = tuple(row)
        found = self.memo.get(key)
        if found is None:
            candidates = list(self.unanchored)
            for column, index in self.anchored:
                candidates.extend(index.get(row[column], ()))
            first = [p for p in candidates if all(q.holds(row, strings) for q in p.tokens[0])]
            found = (tuple((p.attr_id, p.key) for p in first if len(p.tokens) == 1),
                     tuple(p for p in first if len(p.tokens) > 1))
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            self.memo[key] = found
        return found


def compile_patterns(ruler: AttributeRuler) -> Optional[CompiledPatterns]:
    """The ruler's patterns in the form :func:`indexed_matches` reads, or None if any is not supported."""
    by_column: dict[int, dict[int, list[_Pattern]]] = {}
    unanchored: list[_Pattern] = []
    for attr_id, patterns in enumerate(_rule_patterns(ruler)):
        key = ruler.vocab.strings.add(str(attr_id))
        for pattern in patterns:
            if not pattern:
                return None
            tokens = []
            for spec in pattern:
                predicates = [_predicate(k, v, ruler.vocab) for k, v in spec.items()]
                if not predicates or any(p is None for p in predicates):
                    return None
                tokens.append(tuple(p for p in predicates if p is not None))
            compiled = _Pattern(key, attr_id, tuple(tokens))
            anchors = [p for p in tokens[0] if p.kind in ("eq", "in")]
            if not anchors:
                unanchored.append(compiled)
                continue
            anchor = min(anchors, key=lambda p: (_SELECTIVE.index(_COLUMNS[p.column]), len(p.values)))
            for value in anchor.values:
                by_column.setdefault(anchor.column, {}).setdefault(value, []).append(compiled)
    anchored = tuple((column, {v: tuple(ps) for v, ps in index.items()}) for column, index in sorted(by_column.items()))
    return CompiledPatterns(anchored, tuple(unanchored))


def _rule_patterns(ruler: AttributeRuler) -> list[list[list[dict]]]:
    """Each rule's patterns in rule order (``AttributeRuler.patterns`` lists them so)."""
    return [list(rule["patterns"]) for rule in ruler.patterns]


def indexed_matches(doc: Doc, patterns: CompiledPatterns) -> list[tuple[int, int, int, int]]:
    """``AttributeRuler.match(doc)``: (rule index, match id, start, end) for every match, sorted."""
    rows = doc.to_array(list(_COLUMNS)).tolist()
    n = len(rows)
    strings = doc.vocab.strings.__getitem__
    matches: set[tuple[int, int, int, int]] = set()  # the Matcher drops repeats of one (key, start, end)
    for start, row in enumerate(rows):
        single, longer = patterns.starts(row, strings)
        for attr_id, key in single:
            matches.add((attr_id, key, start, start + 1))
        for pattern in longer:
            end = start + len(pattern.tokens)
            if end <= n and all(p.holds(rows[start + k], strings) for k, predicates in enumerate(pattern.tokens)
                                if k > 0 for p in predicates):
                matches.add((pattern.attr_id, pattern.key, start, end))
    return sorted(matches)


class IndexedAttributeRuler(AttributeRuler):
    """spaCy's AttributeRuler with the matching done by :func:`indexed_matches` (see the module doc)."""

    _compiled: Optional[CompiledPatterns] = None
    _stale: bool = True  # patterns added or cleared (loading from disk does both) since the last compile

    def add(self, *args: Any, **kwargs: Any) -> None:
        super().add(*args, **kwargs)
        self._stale = True

    def clear(self) -> None:
        super().clear()
        self._stale = True

    def match(self, doc: Doc):  # type: ignore[override]
        if self._stale:
            self._compiled, self._stale = compile_patterns(self), False
        if self._compiled is None:
            return super().match(doc)
        return indexed_matches(doc, self._compiled)


class MemoRuleLemmatizer(EnglishLemmatizer):
    """spaCy's English rule lemmatizer with every outcome remembered by (orth, pos, morph)."""

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        error_handler = self.get_error_handler()
        try:
            memo = self.__dict__.setdefault("_memo", {})
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            table = doc.to_array([ORTH, POS, MORPH, LEMMA])
            lemmas = table[:, 3].copy()
            add = self.vocab.strings.add
            for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
                if self.overwrite or lemma == 0:
                    key = (orth, pos, morph)
                    found = memo.get(key)
                    if found is None:
                        found = add(self.lemmatize(doc[i])[0])
                        if pos != 0:  # rule_lemmatize warns about a missing POS on every call: keep doing so
                            memo[key] = found
                    lemmas[i] = found
            doc.from_array([LEMMA], lemmas)
            return doc
        except Exception as e:
            error_handler(self.name, self, [doc], e)

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.pop("_memo", None)  # new tables: new outcomes
        super().initialize(*args, **kwargs)


@Language.factory(FAST_ATTRIBUTE_RULER, default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool, scorer: Optional[Callable]) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


@Language.factory(FAST_LEMMATIZER, default_config={"model": None, "mode": "rule", "overwrite": False,
                                                   "scorer": {"@scorers": "spacy.lemmatizer_scorer.v1"}})
def make_memo_lemmatizer(nlp: Language, model: Any, name: str, mode: str, overwrite: bool,
                         scorer: Optional[Callable]) -> MemoRuleLemmatizer:
    return MemoRuleLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


def speed_up(nlp: Language) -> list[str]:
    """Swap the stock attribute ruler and English rule lemmatizer of ``nlp`` for the faster ones above
    (same names, patterns and tables); the names of the components swapped."""
    swapped = []
    for name, component in list(nlp.pipeline):
        if type(component) is AttributeRuler:
            patterns = component.patterns
            new = nlp.replace_pipe(name, FAST_ATTRIBUTE_RULER, config={"validate": False})
            new.add_patterns(patterns)
            swapped.append(name)
        elif type(component) is EnglishLemmatizer and component.mode == "rule" and component.model is None:
            new = nlp.replace_pipe(name, FAST_LEMMATIZER, config={"mode": "rule", "overwrite": component.overwrite})
            new.lookups = component.lookups
            swapped.append(name)
    return swapped
