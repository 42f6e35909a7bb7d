"""The pipeline as a library: what build tells its caller while it works, and what it checks first."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban.build import Done, build
from vanban.errors import OutputError, TemplateNotFoundError, UnknownFormatError, UnknownKindError
from vanban.starter import starter_text


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    path = tmp_path / "hoso.yaml"
    path.write_text(starter_text(), encoding="utf-8")
    return path


def test_progress_hears_of_each_document_before_anything_is_written(dossier, tmp_path) -> None:
    out = tmp_path / "out"
    heard: list[tuple[Done, bool]] = []
    result = build(dossier, out, formats=["docx"],
                   progress=lambda done: heard.append((done, out.exists())))
    assert [d.files for d, _ in heard] == [(p.name,) for p in result.files]
    assert [d.name for d, _ in heard] == [p.stem for p in result.files]
    assert not any(written for _, written in heard)
    assert all(d.seconds > 0 for d, _ in heard)


@pytest.mark.parametrize("cache", [False, True], ids=["made", "from-the-cache"])
def test_files_already_there_are_refused_before_any_document_is_made(
        dossier, tmp_path, monkeypatch, cache: bool) -> None:
    """A second build without --force used to tell "Đã soạn …" for each document, then
    refuse to write."""
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    build(dossier, out, formats=["docx"], only=["bien-ban"], cache=cache)
    heard: list[Done] = []
    with pytest.raises(OutputError, match=r"bien-ban-.*\.docx đã có.*; dùng --force để ghi đè"):
        build(dossier, out, formats=["docx"], only=["bien-ban"], cache=cache,
              progress=heard.append)
    assert heard == []


@pytest.mark.parametrize(
    ("kwargs", "error", "exit_code"),
    [({"only": ["khong-co"]}, UnknownKindError, 2), ({"formats": ["odt"]}, UnknownFormatError, 2),
     ({"templates_dir": "khong-co"}, TemplateNotFoundError, 1)],
    ids=["kind", "format", "templates"],
)
def test_the_call_is_checked_before_the_dossier(tmp_path, kwargs, error, exit_code) -> None:
    # The dossier does not exist: the call's own mistake is reported first.
    with pytest.raises(error) as info:
        build(tmp_path / "khong-co.yaml", tmp_path / "out", **kwargs)
    assert info.value.exit_code == exit_code


def test_a_build_names_its_sources_and_can_leave_files_that_would_not_change(
        tmp_path: Path) -> None:
    from tests import dossiers

    dossier = dossiers.copy(tmp_path / "hoso", dossiers.sample())
    topics = sorted((tmp_path / "hoso").glob("*.md"))
    out = tmp_path / "out"
    options = {"only": ["tai-lieu-chuyen-de", "quy-che"], "formats": ("docx",)}
    first = build(dossier, out, **options)
    assert first.sources[0] == dossier
    assert sorted(first.sources[1:]) == topics
    assert first.kept == []
    dates = {p: p.stat().st_mtime_ns for p in first.files}

    served = build(dossier, out, force=True, keep_same=True, **options)  # whole from the cache
    assert served.sources == first.sources
    assert served.files == first.files
    assert served.kept == first.files
    assert {p: p.stat().st_mtime_ns for p in served.files} == dates

    topics[0].write_text(topics[0].read_text("utf-8") + "\nMột đoạn mới.\n", "utf-8")
    with pytest.raises(OutputError, match="đã có"):  # new bytes still need force
        build(dossier, out, keep_same=True, **options)
    again = build(dossier, out, force=True, keep_same=True, **options)
    changed = [p for p in again.files if p not in again.kept]
    assert [p.name for p in changed] == ["tai-lieu-chuyen-de-1.docx"]
    assert changed[0].stat().st_mtime_ns != dates[changed[0]]
    assert all(p.stat().st_mtime_ns == dates[p] for p in again.kept)
