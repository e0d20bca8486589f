"""A time limit around a piece of analysis, in the main thread or in any other.

In a process's main thread the limit is SIGALRM (a worker process, or a plain ``according`` run); in
another thread (a Dask worker runs tasks in a thread pool, a caller may use the Python API from one)
signals cannot be used, so a timer asks the interpreter to raise in that thread instead. Either way the
exception arrives between two Python bytecodes, which is as far as an interrupt can reach in CPython.
"""
from __future__ import annotations

import ctypes
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterator


class AnalysisTimeout(BaseException):
    """Not an Exception: the analyzer's own ``except Exception`` must not swallow it."""


RETRY_SECONDS = 0.005  # when the alarm lands where it cannot be raised, it rings again this soon


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise AnalysisTimeout in this thread once ``seconds`` have passed inside the block."""
    if threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _thread_timer(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise AnalysisTimeout()

    previous_hook = sys.unraisablehook

    def again(unraisable: "sys.UnraisableHookArgs") -> None:
        # the alarm rang inside a finalizer or a weakref callback (an import's module lock, a __del__),
        # where Python prints the exception and goes on: ring again, where it stops the analysis
        if unraisable.exc_type is AnalysisTimeout:
            signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        else:
            previous_hook(unraisable)

    previous = signal.signal(signal.SIGALRM, expire)
    sys.unraisablehook = again
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = previous_hook


@contextmanager
def _thread_timer(seconds: float) -> Iterator[None]:
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"inside": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["inside"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(AnalysisTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["inside"] = False
            if state["fired"]:  # raised but not yet delivered: it must not land after the block
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
