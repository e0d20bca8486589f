"""Shared fixtures: the real spaCy pipeline and analyzer, loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def analyzer():
    from according.pipeline import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def nlp(analyzer):
    return analyzer.nlp


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason when that folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared data sets sit beside the repository only on the dev machine)")
    return path
