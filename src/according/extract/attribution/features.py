"""Token features for the attribution CRFs: computed once per doc, then per cue relative to the cue.

Two sequence models share these: the cue tagger reads one sentence at a time; the role tagger reads a
window around one cue (its sentence, widened to whole quotations) and labels source and content tokens.
Features are plain strings (binary features), which is what crfsuite handles fastest.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc

from .lexicon import AttributionLexicon
from .quotes import quote_depth
from ..doc_views import columns
from .rules import RawAttribution, TokRange, plausible_source_at

CHILD_DEPS = frozenset({"ccomp", "xcomp", "nsubj", "nsubjpass", "dobj", "agent", "prep", "advcl", "dative"})
MAX_WIDEN = 3  # sentences a window may grow by on each side to take in a whole quotation
MAX_DEPTH = 30
NEIGHBOURS = (("-2", -2), ("-1", -1), ("1", 1), ("2", 2))  # feature prefix, token offset


@dataclass
class TokenTable:
    """Per-token attributes of one doc as plain lists: read once, so features never index the Doc."""

    lower: list[str]
    pos: list[str]
    dep: list[str]
    ent: list[str]
    head: list[int]
    is_quote: list[bool]
    is_space: list[bool]
    newline: list[bool]
    sent_start: list[int]  # index of the first token of each token's sentence
    sent_end: list[int]
    quoted: list[int]
    # the first five features every token has ("w=", "l=", "p=", "t=", "d="): what the role tagger reads
    own5: list[tuple[str, str, str, str, str]]
    doc: Doc
    child_features: dict[int, list[str]] = field(default_factory=dict)  # the "ch=" features among them
    # the columns the own features are made of (what :mod:`.cue_scores` reads instead of the strings)
    lemma: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    shape: list[str] = field(default_factory=list)
    cue_class: list[Optional[str]] = field(default_factory=list)  # the cue verb lexicon's class
    cue_noun: list[bool] = field(default_factory=list)
    source_like: list[bool] = field(default_factory=list)  # plausible_source_at
    _base: Optional[list[list[str]]] = field(default=None, repr=False)

    @property
    def base(self) -> list[list[str]]:
        """The features every token has (what only some have: ``own_features``): ``own5`` and the head's
        lemma and part of speech, shape, suffix and quotation depth. Built when first read: only the cue
        features made as strings (``cue_sequence``, for training and the tests) read the last five."""
        if self._base is None:
            lemma, pos, head = self.lemma, self.pos, self.head
            self._base = [[*five, *rest] for five, rest in zip(self.own5, zip(
                ["hl=" + lemma[h] for h in head], ["hp=" + pos[h] for h in head], ["sh=" + x for x in self.shape],
                ["s3=" + x[-3:] for x in self.lower], ["q=" + str(x) for x in self.quoted]))]
        return self._base

    def edges(self, i: int) -> tuple[int, int]:
        tok = self.doc[i]
        return tok.left_edge.i, tok.right_edge.i


def _shape(title: bool, upper: bool, digit: bool, punct: bool) -> str:
    return "X" if title else "XX" if upper else "d" if digit else "p" if punct else "x"


def token_table(doc: Doc, lexicon: AttributionLexicon) -> TokenTable:
    """Read every token once; build the token-own features the cue and role taggers share."""
    quoted = quote_depth(doc)
    cols = columns(doc)
    n = len(doc)
    lower, lemma, pos, tag, dep, ent, head = cols.lower, cols.lemma, cols.pos, cols.tag, cols.dep, cols.ent_type, cols.head
    newline = ["\n" in t for t in cols.text]
    children: dict[int, list[str]] = {}
    for i in range(n):
        if head[i] != i and dep[i] in CHILD_DEPS:
            children.setdefault(head[i], []).append("ch=" + dep[i])
    # the features every token has, column by column (a list comprehension per feature is cheaper
    # than a loop over tokens); what only some have is read from the columns by ``own_features``
    shapes = [_shape(*flags) for flags in zip(cols.is_title, cols.is_upper, cols.is_digit, cols.is_punct)]
    own5 = list(zip(["w=" + x for x in lower], ["l=" + x for x in lemma], ["p=" + x for x in pos], ["t=" + x for x in tag],
                    ["d=" + x for x in dep]))
    cue_verbs, cue_nouns = lexicon.cue_verbs, lexicon.cue_nouns
    cue_class = [entry.cls if (entry := cue_verbs.get(x)) is not None else None for x in lemma]
    cue_noun = [x in cue_nouns for x in lemma]
    source_like = [plausible_source_at(cols, i, lexicon) for i in range(n)]
    return TokenTable(lower, pos, dep, ent, head, cols.is_quote, cols.is_space, newline, cols.sent_start, cols.sent_end,
                      quoted, own5, doc, children, lemma, tag, shapes, cue_class, cue_noun, source_like)


def own_features(table: TokenTable, i: int) -> list[str]:
    """The token's own features for the cue tagger: ``base`` and what only some tokens have."""
    feats = list(table.base[i])
    if table.ent[i]:
        feats.append("e=" + table.ent[i])
    if table.is_quote[i]:
        feats.append("qm")
    if table.cue_class[i] is not None:
        feats.append("cuelex=" + table.cue_class[i])
    if table.cue_noun[i]:
        feats.append("cuenoun")
    if table.source_like[i]:
        feats.append("srclex")
    feats.extend(table.child_features.get(i, ()))
    if table.newline[i]:
        feats.append("nl")
    return feats


def _short(feats: list[str]) -> list[str]:
    return feats[:3] + feats[7:8]


def cue_sequence(table: TokenTable, start: int, end: int, rule_heads: set[int]) -> list[list[str]]:
    """Features for the cue tagger over one sentence: the token's own, its neighbours', rule hits."""
    base, lower, child_features = table.base, table.lower, table.child_features
    short = [_short(base[j]) for j in range(start, end)]
    seq = []
    for i in range(start, end):
        feats = own_features(table, i)
        for name, off in NEIGHBOURS:
            j = i + off
            if start <= j < end:
                feats += [name + f for f in short[j - start]]
            else:
                feats.append(name + "pad")
        if i in rule_heads:
            feats.append("rulecue")
            feats.append("rulecue|" + base[i][1])
        lemma = base[i][1]
        for f in child_features.get(i, ()):
            feats.append(lemma + "|" + f)
        feats.append(base[i][4] + "|" + base[i][5])
        if start <= i - 1:
            feats.append("bi=" + lower[i - 1] + "_" + lower[i])
        if i + 1 < end:
            feats.append("bi+=" + lower[i] + "_" + lower[i + 1])
        if i == start:
            feats.append("first")
        seq.append(feats)
    return seq


def sentences(table: TokenTable) -> list[TokRange]:
    out = []
    i, n = 0, len(table.lower)
    while i < n:
        out.append((i, table.sent_end[i]))
        i = table.sent_end[i]
    return out


def role_window(table: TokenTable, cue: TokRange) -> TokRange:
    """The cue's sentence, widened to whole quotations it touches and to a quotation that follows it."""
    quoted, n = table.quoted, len(table.lower)
    start, end = table.sent_start[cue[0]], table.sent_end[cue[0]]
    for _ in range(MAX_WIDEN):
        if start > 0 and quoted[start] and quoted[start - 1]:
            start = table.sent_start[start - 1]
        else:
            break
    for _ in range(MAX_WIDEN):
        if end < n and (quoted[end] or (quoted[end - 1] and not table.is_quote[end - 1])):
            end = table.sent_end[end]
        else:
            break
    if end < n and quoted[end] and table.is_quote[end]:
        end = table.sent_end[end]
    return start, end


def _path_label(table: TokenTable, i: int, cue_head: int) -> tuple[str, int]:
    """How token ``i`` hangs from the cue: under which child of the cue (or of the cue's head), or neither.

    Also returns that child (or -1), whose subtree edges mark likely span boundaries.
    """
    head = table.head
    node = i
    for _ in range(MAX_DEPTH):
        parent = head[node]
        if parent == cue_head and node != cue_head:
            label = table.dep[node]
            if label == "prep":
                label += ":" + table.lower[node]
            return "sub=" + label, node
        if parent == node:
            break
        node = parent
    above = head[cue_head]
    if above != cue_head:
        if i == above:
            return "ishead", -1
        node = i
        for _ in range(MAX_DEPTH):
            parent = head[node]
            if parent == above and node != above:
                return "hsub=" + table.dep[node], node
            if parent == node:
                break
            node = parent
    return "far", -1


def _distance(d: int) -> str:
    a = abs(d)
    bucket = "1" if a <= 1 else "2" if a <= 2 else "4" if a <= 4 else "8" if a <= 8 else "16" if a <= 16 else "far"
    return ("-" if d < 0 else "+") + bucket


# "dist=" + _distance(d) for d in -16 .. 16 (index d + 16): read per token of every role window
_DIST_FEATURES = tuple("dist=" + _distance(d) for d in range(-16, 17))
_DIST_FAR = ("dist=-far", "dist=+far")


def _rule_marks(rule: Optional[RawAttribution]) -> dict[int, str]:
    """Token index -> what the rule finder said about it for this cue (source/content, edges)."""
    marks: dict[int, str] = {}
    if rule is None:
        return marks
    for name, rng in (("rsrc", rule.source), ("rcon", rule.content)):
        if rng is None or rng[1] <= rng[0]:  # an empty range (a rule's span trimmed to nothing) marks nothing
            continue
        for i in range(*rng):
            marks[i] = name
        marks[rng[0]] = name + "<"
        marks[rng[1] - 1] = marks[rng[1] - 1] + ">" if rng[1] - 1 != rng[0] else name + "<>"
    return marks


def role_sequence(table: TokenTable, cue: TokRange, cue_head: int, window: TokRange,
                  rule: Optional[RawAttribution] = None) -> list[list[str]]:
    """Features for the role tagger: the token's own plus where it stands relative to the cue."""
    own5, lower, pos, quoted = table.own5, table.lower, table.pos, table.quoted
    cue_lemma = table.lemma[cue_head]
    cue_dep = table.dep[cue_head]
    cue_sent = table.sent_start[cue_head]
    cue_quoted = str(quoted[cue_head])
    marks = _rule_marks(rule)
    edges: dict[int, tuple[int, int]] = {}
    above = table.head[cue_head]
    head_edges = table.edges(above) if above != cue_head else (-1, -1)
    cue_edges = table.edges(cue_head)
    # where the path from the cue changes between neighbours, a span likely starts or ends
    paths = [("cue", -1) if cue[0] <= i < cue[1] else _path_label(table, i, cue_head) for i in range(*window)]
    by_path: dict[tuple[str, str], tuple[str, str, str]] = {}
    seq = []
    for i in range(*window):
        if cue[0] <= i < cue[1]:
            seq.append(["incue", "w=" + lower[i], "cl=" + cue_lemma])
            continue
        d = i - cue[0] if i < cue[0] else i - (cue[1] - 1)
        k = i - window[0]
        path, node = paths[k]
        side = "before" if i < cue[0] else "after"
        own = own5[i]
        around = by_path.get((path, side))
        if around is None:  # a window holds a few paths: their strings are made once
            around = by_path[(path, side)] = (side + "|" + path, "cl=" + cue_lemma + "|" + path, "cd=" + cue_dep + "|" + path)
        feats = [
            *own, _DIST_FEATURES[d + 16] if -16 <= d <= 16 else _DIST_FAR[d > 0], path, around[0], around[1],
            own[4] + "|" + path, own[2] + "|" + side,
            around[2], "sent=0" if table.sent_start[i] == cue_sent else "sent=" + side,
            "qq=" + str(quoted[i]) + cue_quoted,
        ]
        if node >= 0:
            if node not in edges:
                edges[node] = table.edges(node)
            left, right = edges[node]
            if left == i:
                feats.append("LE|" + path)
            if right == i:
                feats.append("RE|" + path)
            if node == i:
                feats.append("top|" + path)
        if i == head_edges[0]:
            feats.append("HLE")
        if i == head_edges[1]:
            feats.append("HRE")
        if i == cue_edges[0]:
            feats.append("CLE")
        if i == cue_edges[1]:
            feats.append("CRE")
        mark = marks.get(i)
        if mark:
            feats.append(mark)
            feats.append(mark[:4] + "|" + path)
        if k and paths[k - 1][0] != path:
            feats.append("pchg<" + paths[k - 1][0] + ">" + path)
        if k + 1 < len(paths) and paths[k + 1][0] != path:
            feats.append("pchg>" + path + ">" + paths[k + 1][0])
        if table.is_quote[i]:
            feats.append("qm")
        if table.ent[i]:
            feats.append("e=" + table.ent[i])
        if table.sent_start[i] == i:
            feats.append("sstart")
        if table.sent_end[i] == i + 1:
            feats.append("send")
        if table.newline[i]:
            feats.append("nl")
        for name, off in NEIGHBOURS:
            j = i + off
            if window[0] <= j < window[1]:
                feats.append(name + "p=" + pos[j])
                feats.append(name + "w=" + lower[j])
                if cue[0] <= j < cue[1]:
                    feats.append(name + "cue")
            else:
                feats.append(name + "edge")
        seq.append(feats)
    return seq


def merge_fragments(table: TokenTable, fragments: list[TokRange], keep_apart: list[TokRange],
                    only_punct: bool = False) -> list[TokRange]:
    """Join pieces split by a stray token: not across the cue, the source, or a sentence.

    With ``only_punct``, only pieces split by punctuation ("Mr. Smith, who ...,").
    """
    out: list[TokRange] = []
    for frag in fragments:
        if out:
            gap = (out[-1][1], frag[0])
            blocked = (any(s < gap[1] and gap[0] < e for s, e in keep_apart)
                       or table.sent_start[out[-1][1] - 1] != table.sent_start[frag[0]]
                       or only_punct and any(table.shape[k] != "p" and not table.is_space[k] for k in range(*gap)))
            if not blocked:
                out[-1] = (out[-1][0], frag[1])
                continue
        out.append(frag)
    return out


def bridge_spaces(labels: list[str], spaces: Optional[list[bool]]) -> list[str]:
    """Whitespace tokens (a non-breaking space) between two tokens of one role take that role."""
    if not spaces:
        return labels
    out = list(labels)
    for k in [k for k in range(1, len(out) - 1) if spaces[k]]:  # only a space changes anything, in order
        before, after = out[k - 1], out[k + 1]
        if out[k] == "O" and before[:2] in ("B-", "I-") and after[2:] == before[2:]:
            out[k] = "I-" + before[2:]
            out[k + 1] = "I-" + before[2:]
    return out


def runs(labels: list[str], offset: int, tag: str, spaces: Optional[list[bool]] = None) -> list[TokRange]:
    """Maximal token runs labelled ``tag`` (B-tag or I-tag), as ranges shifted by ``offset``."""
    out: list[TokRange] = []
    start: Optional[int] = None
    labels = bridge_spaces(labels, spaces)
    suffix, begin_label = "-" + tag, "B-" + tag
    for k, label in enumerate(labels):
        inside = label.endswith(suffix)
        if start is not None and (not inside or label == begin_label):
            out.append((offset + start, offset + k))
            start = None
        if inside and start is None:
            start = k
    if start is not None:
        out.append((offset + start, offset + len(labels)))
    return out
