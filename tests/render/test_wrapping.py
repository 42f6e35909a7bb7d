"""vanban puts its own function between WeasyPrint and one of WeasyPrint's once, and only where
it finds WeasyPrint's (:mod:`vanban.render.wrapping`)."""

from __future__ import annotations

import sys
import types

import pytest

from vanban.render.wrapping import to_wrap, wrapper


@pytest.fixture
def module(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """Return a stand-in WeasyPrint module holding a function ``f`` and a value ``g``."""
    found = types.ModuleType("weasyprint_stand_in")
    found.f = lambda: "weasyprint"  # type: ignore[attr-defined]
    found.g = 1  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, found.__name__, found)
    return found


def test_a_function_is_found_with_what_its_wrapper_needs(module: types.ModuleType) -> None:
    assert to_wrap(module.__name__, "f", "g") == (module, [module.f, 1])


def test_a_missing_module_or_name_leaves_weasyprint_as_it_is(module: types.ModuleType) -> None:
    assert to_wrap("weasyprint_no_such_module", "f") is None
    assert to_wrap(module.__name__, "f", "h") is None
    assert to_wrap(module.__name__, "h") is None


def test_a_function_is_wrapped_once(module: types.ModuleType) -> None:
    found = to_wrap(module.__name__, "f")
    assert found is not None
    _, (plain,) = found
    module.f = wrapper(lambda: f"vanban, then {plain()}")  # type: ignore[attr-defined]
    assert to_wrap(module.__name__, "f") is None
    assert module.f() == "vanban, then weasyprint"
