"""Token features for the attribution CRFs: computed once per doc, then per cue relative to the cue.

Two sequence models share these: the cue tagger reads one sentence at a time; the role tagger reads a
window around one cue (its sentence, widened to whole quotations) and labels source and content tokens.
Features are plain strings (binary features), which is what crfsuite handles fastest.
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Doc, Span, Token

from .attribution_lexicon import AttributionLexicon
from .attribution_quotes import quote_depth
from .attribution_rules import RawAttribution, TokRange, plausible_source

CHILD_DEPS = frozenset({"ccomp", "xcomp", "nsubj", "nsubjpass", "dobj", "agent", "prep", "advcl", "dative"})
MAX_WIDEN = 3  # sentences a window may grow by on each side to take in a whole quotation
MAX_DEPTH = 30


def _shape(tok: Token) -> str:
    if tok.is_title:
        return "X"
    if tok.is_upper:
        return "XX"
    if tok.is_digit:
        return "d"
    if tok.is_punct:
        return "p"
    return "x"


def base_features(doc: Doc, lexicon: AttributionLexicon) -> list[list[str]]:
    """Features of each token on its own: word, lemma, tags, dependency, lexicon hits, quote state."""
    quoted = quote_depth(doc)
    out = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        feats = [
            "w=" + tok.lower_,
            "l=" + lemma,
            "p=" + tok.pos_,
            "t=" + tok.tag_,
            "d=" + tok.dep_,
            "hl=" + tok.head.lemma_.lower(),
            "hp=" + tok.head.pos_,
            "sh=" + _shape(tok),
            "s3=" + tok.lower_[-3:],
            "q=" + str(quoted[tok.i]),
        ]
        if tok.ent_type_:
            feats.append("e=" + tok.ent_type_)
        if tok.is_quote:
            feats.append("qm")
        entry = lexicon.cue_verbs.get(lemma)
        if entry is not None:
            feats.append("cuelex=" + entry.cls)
        if lemma in lexicon.cue_nouns:
            feats.append("cuenoun")
        if plausible_source(tok, lexicon):
            feats.append("srclex")
        for child in tok.children:
            if child.dep_ in CHILD_DEPS:
                feats.append("ch=" + child.dep_)
        if "\n" in tok.text:
            feats.append("nl")
        out.append(feats)
    return out


def _short(feats: list[str]) -> list[str]:
    return feats[:3] + feats[7:8]


def cue_sequence(sent: Span, base: list[list[str]], rule_heads: set[int]) -> list[list[str]]:
    """Features for the cue tagger over one sentence: the token's own, its neighbours', rule hits."""
    seq = []
    start, end = sent.start, sent.end
    for i in range(start, end):
        feats = list(base[i])
        for off in (-2, -1, 1, 2):
            j = i + off
            if start <= j < end:
                feats.extend(f"{off}{f}" for f in _short(base[j]))
            else:
                feats.append(f"{off}pad")
        if i in rule_heads:
            feats.append("rulecue")
        if start <= i - 1:
            feats.append("bi=" + base[i - 1][0] + "_" + base[i][0])
        if i + 1 < end:
            feats.append("bi+=" + base[i][0] + "_" + base[i + 1][0])
        if i == start:
            feats.append("first")
        seq.append(feats)
    return seq


def role_window(doc: Doc, cue: TokRange, quoted: list[int]) -> TokRange:
    """The cue's sentence, widened to whole quotations it touches and to a quotation that follows it."""
    sent = doc[cue[0]].sent
    start, end = sent.start, sent.end
    for _ in range(MAX_WIDEN):
        if start > 0 and quoted[start] and quoted[start - 1]:
            start = doc[start - 1].sent.start
        else:
            break
    for _ in range(MAX_WIDEN):
        if end < len(doc) and (quoted[end] or (quoted[end - 1] and not doc[end - 1].is_quote)):
            end = doc[end].sent.end
        else:
            break
    if end < len(doc) and quoted[end] and doc[end].is_quote:
        nxt = doc[end].sent
        end = nxt.end
    return start, end


def _path_label(tok: Token, cue_head: Token) -> tuple[str, Optional[Token]]:
    """How ``tok`` hangs from the cue: under which child of the cue (or of the cue's head), or neither.

    Also returns that child, whose subtree edges mark likely span boundaries.
    """
    node = tok
    for _ in range(MAX_DEPTH):
        parent = node.head
        if parent.i == cue_head.i and node.i != cue_head.i:
            label = node.dep_
            if label == "prep":
                label += ":" + node.lower_
            return "sub=" + label, node
        if parent.i == node.i:
            break
        node = parent
    head = cue_head.head
    if head.i != cue_head.i:
        if tok.i == head.i:
            return "ishead", None
        node = tok
        for _ in range(MAX_DEPTH):
            parent = node.head
            if parent.i == head.i and node.i != head.i:
                return "hsub=" + node.dep_, node
            if parent.i == node.i:
                break
            node = parent
    return "far", None


def _distance(d: int) -> str:
    a = abs(d)
    bucket = "1" if a <= 1 else "2" if a <= 2 else "4" if a <= 4 else "8" if a <= 8 else "16" if a <= 16 else "far"
    return ("-" if d < 0 else "+") + bucket


def _rule_marks(rule: Optional[RawAttribution]) -> dict[int, str]:
    """Token index -> what the rule finder said about it for this cue (source/content, edges)."""
    marks: dict[int, str] = {}
    if rule is None:
        return marks
    for name, rng in (("rsrc", rule.source), ("rcon", rule.content)):
        if rng is None:
            continue
        for i in range(*rng):
            marks[i] = name
        marks[rng[0]] = name + "<"
        marks[rng[1] - 1] = marks[rng[1] - 1] + ">" if rng[1] - 1 != rng[0] else name + "<>"
    return marks


def role_sequence(doc: Doc, base: list[list[str]], cue: TokRange, cue_head: int, window: TokRange,
                  quoted: list[int], rule: Optional[RawAttribution] = None) -> list[list[str]]:
    """Features for the role tagger: the token's own plus where it stands relative to the cue."""
    head = doc[cue_head]
    cue_lemma = head.lemma_.lower()
    cue_sent = head.sent.start
    marks = _rule_marks(rule)
    seq = []
    for i in range(*window):
        tok = doc[i]
        if cue[0] <= i < cue[1]:
            seq.append(["incue", "w=" + tok.lower_, "cl=" + cue_lemma])
            continue
        d = i - cue[0] if i < cue[0] else i - (cue[1] - 1)
        path, node = _path_label(tok, head)
        side = "before" if i < cue[0] else "after"
        feats = base[i][:5] + [
            "dist=" + _distance(d),
            path,
            side + "|" + path,
            "cl=" + cue_lemma + "|" + path,
            "cd=" + head.dep_ + "|" + path,
            "sent=" + ("0" if tok.sent.start == cue_sent else side),
            "qq=" + str(quoted[i]) + str(quoted[cue_head]),
        ]
        if node is not None:
            if node.left_edge.i == i:
                feats.append("LE|" + path)
            if node.right_edge.i == i:
                feats.append("RE|" + path)
            if node.i == i:
                feats.append("top|" + path)
        mark = marks.get(i)
        if mark:
            feats.append(mark)
            feats.append(mark[:4] + "|" + path)
        if tok.is_quote:
            feats.append("qm")
        if tok.ent_type_:
            feats.append("e=" + tok.ent_type_)
        if tok.is_sent_start:
            feats.append("sstart")
        if tok.is_sent_end:
            feats.append("send")
        if "\n" in tok.text:
            feats.append("nl")
        for off in (-1, 1):
            j = i + off
            if window[0] <= j < window[1]:
                feats.append(f"{off}p=" + doc[j].pos_)
                feats.append(f"{off}w=" + doc[j].lower_)
                if cue[0] <= j < cue[1]:
                    feats.append(f"{off}cue")
            else:
                feats.append(f"{off}edge")
        seq.append(feats)
    return seq


def merge_fragments(doc: Doc, fragments: list[TokRange], keep_apart: list[TokRange]) -> list[TokRange]:
    """Join content pieces split by a stray token: not across the cue, the source, or a sentence."""
    out: list[TokRange] = []
    for frag in fragments:
        if out:
            gap = (out[-1][1], frag[0])
            blocked = (any(s < gap[1] and gap[0] < e for s, e in keep_apart)
                       or doc[out[-1][1] - 1].sent.start != doc[frag[0]].sent.start)
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
    for k in range(1, len(out) - 1):
        before, after = out[k - 1], out[k + 1]
        if spaces[k] and out[k] == "O" and before[:2] in ("B-", "I-") and after[2:] == before[2:]:
            out[k] = "I-" + before[2:]
            out[k + 1] = "I-" + before[2:]
    return out


def runs(labels: list[str], offset: int, tag: str, spaces: Optional[list[bool]] = None) -> list[TokRange]:
    """Maximal token runs labelled ``tag`` (B-tag or I-tag), as ranges shifted by ``offset``."""
    out: list[TokRange] = []
    start: Optional[int] = None
    labels = bridge_spaces(labels, spaces)
    for k, label in enumerate(labels + ["O"]):
        inside = label.endswith("-" + tag)
        if start is not None and (not inside or label == "B-" + tag):
            out.append((offset + start, offset + k))
            start = None
        if inside and start is None:
            start = k
    return out
