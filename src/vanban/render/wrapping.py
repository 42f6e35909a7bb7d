"""Where vanban puts a function of its own between WeasyPrint and one of WeasyPrint's functions.

Each is done once per process, and only where this version of vanban expects WeasyPrint's
functions to be: a WeasyPrint laid out otherwise is left as it is, and does its own work.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def to_wrap(module: str, *names: str) -> tuple[Any, list[Any]] | None:
    """Return WeasyPrint module `module` and its attributes `names`, the first of them the
    function to wrap; None when any is missing, or when that function is vanban's already."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return None
    attributes = [getattr(found, name, None) for name in names]
    if any(a is None for a in attributes) or getattr(attributes[0], "vanban_wraps", False):
        return None
    return found, attributes


def wrapper(function: F) -> F:
    """Mark `function` as vanban's wrapper of a WeasyPrint function (:func:`to_wrap`)."""
    function.vanban_wraps = True  # type: ignore[attr-defined]
    return function
