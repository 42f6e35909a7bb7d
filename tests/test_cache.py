"""The PDF cache: hits byte-identical to a fresh render, only changed documents laid out again,
--no-cache, damaged entries, size bound, two processes at once, where it lives."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests import dossiers
from vanban import cache
from vanban.build import build
from vanban.cache import Cache, Entry
from vanban.cli import cli

#: A handout with a table of contents (its own cache entry) and the regulation.
KINDS = ["tai-lieu-chuyen-de", "quy-che"]


def _entries(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _docx_entries(folder: Path) -> set[Path]:
    """Return the entries holding one rendered DOCX (and nothing else)."""
    return {p for p in folder.rglob("*")
            if p.is_file() and list(cache._decode(p.read_bytes()).blobs) == ["docx"]}


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    return dossiers.copy(tmp_path / "hoso")


def test_hits_are_byte_identical_to_a_fresh_render(dossier: Path, tmp_path: Path) -> None:
    store = cache.cache_dir()
    build(dossier, tmp_path / "fresh", only=KINDS, cache=False)
    assert not _entries(store), "--no-cache must not write the cache"
    build(dossier, tmp_path / "first", only=KINDS)
    stored = _entries(store)
    rendered = _docx_entries(store)
    # One entry per plain PDF, one per handout (its DOCX and PDF depend on its layout), one
    # for the whole dossier; beside them, each DOCX rendered from a template (a handout's
    # draft too).
    assert len(stored) - len(rendered) == len(list((tmp_path / "fresh").glob("*.pdf"))) + 1
    assert len(rendered) >= len(list((tmp_path / "fresh").glob("*.docx")))
    build(dossier, tmp_path / "second", only=KINDS)
    assert _entries(store).keys() == stored.keys(), "a rebuild with no change adds no entry"
    fresh = _outputs(tmp_path / "fresh")
    assert _outputs(tmp_path / "first") == fresh
    assert _outputs(tmp_path / "second") == fresh


def _tamper(store: Path, marker: bytes) -> None:
    """Replace every PDF of every entry by `marker`, keeping each entry sound."""
    for path in [p for p in store.rglob("*") if p.is_file()]:
        entry = cache._decode(path.read_bytes())
        blobs = {n: marker if n == "pdf" or n.endswith(".pdf") else b for n, b in entry.blobs.items()}
        path.write_bytes(cache._encode(Entry(blobs, entry.warnings)))


def _documents_only(store: Path) -> None:
    """Remove the whole-dossier entries, keeping the documents' entries."""
    for path in [p for p in store.rglob("*") if p.is_file()]:
        if any(n.endswith(".pdf") for n in cache._decode(path.read_bytes()).blobs):
            path.unlink()


@pytest.mark.parametrize("whole", [True, False], ids=["whole dossier", "documents"])
def test_builds_read_the_cache_and_no_cache_ignores_it(dossier: Path, tmp_path: Path,
                                                       whole: bool) -> None:
    build(dossier, tmp_path / "first", only=KINDS)
    if not whole:
        _documents_only(cache.cache_dir())
    _tamper(cache.cache_dir(), b"%PDF-from-the-cache")
    build(dossier, tmp_path / "hit", only=KINDS)
    pdfs = list((tmp_path / "hit").glob("*.pdf"))
    assert pdfs
    assert all(p.read_bytes() == b"%PDF-from-the-cache" for p in pdfs)
    result = CliRunner().invoke(cli, ["build", str(dossier), "-o", str(tmp_path / "nc"),
                                      "--only", ",".join(KINDS), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert _outputs(tmp_path / "nc") == _outputs(tmp_path / "first")


def test_one_field_edit_lays_out_only_the_changed_documents(tmp_path: Path) -> None:
    data = dossiers.sample()
    before = dossiers.copy(tmp_path / "before", data)
    build(before, tmp_path / "out1", only=KINDS)
    stored = set(_entries(cache.cache_dir()))
    data["quy_che"]["trich_yeu"] += " (sửa đổi)"
    after = dossiers.copy(tmp_path / "after", data)
    build(after, tmp_path / "out2", only=KINDS, force=True)
    added = set(_entries(cache.cache_dir())) - stored
    assert 0 < len(added) < len(stored), "only the changed documents' entries are new"
    out1, out2 = _outputs(tmp_path / "out1"), _outputs(tmp_path / "out2")
    assert [n for n in out1 if out1[n] != out2[n]], "the edit shows in the output"
    assert [n for n in out1 if n.endswith(".pdf") and out1[n] == out2[n]]


def test_unchanged_documents_are_not_rendered_again(tmp_path: Path) -> None:
    kinds = ["quyet-dinh-thanh-lap-ban-dieu-hanh", "quy-che"]
    data = dossiers.sample()
    before = dossiers.copy(tmp_path / "before", data)
    build(before, tmp_path / "out1", only=kinds, formats=["docx"], fit=False)
    store = cache.cache_dir()
    rendered = _docx_entries(store)
    assert len(rendered) == 2
    for path in _entries(store):
        if path in rendered:
            path.write_bytes(cache._encode(Entry({"docx": b"DOCX from the cache"}, [])))
        else:
            path.unlink()  # the whole dossier's entry
    data["quy_che"]["trich_yeu"] += " (sửa đổi)"
    after = dossiers.copy(tmp_path / "after", data)
    build(after, tmp_path / "out2", only=kinds, formats=["docx"], fit=False)
    out = _outputs(tmp_path / "out2")
    assert out["quyet-dinh-thanh-lap-ban-dieu-hanh.docx"] == b"DOCX from the cache"
    assert out["quy-che.docx"].startswith(b"PK"), "the edited document is rendered again"
    assert "(sửa đổi)" in _docx_text(out["quy-che.docx"])
    build(after, tmp_path / "out3", only=kinds, formats=["docx"], fit=False, cache=False)
    assert _outputs(tmp_path / "out3")["quy-che.docx"] == out["quy-che.docx"]


def _docx_text(docx: bytes) -> str:
    """Return the text of a DOCX's paragraphs."""
    import io

    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


def test_an_edited_markdown_file_is_a_miss(dossier: Path, tmp_path: Path) -> None:
    build(dossier, tmp_path / "first", only=KINDS)
    topic = dossier.parent / "chuyen-de-1.md"
    topic.write_text(topic.read_text("utf-8") + "\nĐoạn thêm ở cuối chuyên đề.\n", "utf-8")
    build(dossier, tmp_path / "second", only=KINDS)
    first, second = _outputs(tmp_path / "first"), _outputs(tmp_path / "second")
    assert first["tai-lieu-chuyen-de-1.docx"] != second["tai-lieu-chuyen-de-1.docx"]
    assert first["tai-lieu-chuyen-de-2.pdf"] == second["tai-lieu-chuyen-de-2.pdf"]


def test_a_whole_dossier_hit_gives_the_same_warnings(tmp_path: Path) -> None:
    data = dossiers.sample()
    for member in data["ban_dieu_hanh"]["thanh_vien"]:
        if isinstance(member, dict) and "Thư ký" in member.get("vai_tro", ""):
            member["vai_tro"] = "Thành viên"
    hoso = dossiers.copy(tmp_path / "hoso", data)
    first = build(hoso, tmp_path / "first", only=["quy-che"])
    assert any("Thư ký" in p.message for p in first.problems)
    second = build(hoso, tmp_path / "second", only=["quy-che"])
    assert second.problems == first.problems
    assert second.warnings == first.warnings
    assert _outputs(tmp_path / "second") == _outputs(tmp_path / "first")


def test_other_options_or_templates_are_other_builds(dossier: Path, tmp_path: Path) -> None:
    build(dossier, tmp_path / "pdf", only=["quy-che"], formats=["pdf"])
    assert [p.name for p in (tmp_path / "pdf").iterdir()] == ["quy-che.pdf"]
    build(dossier, tmp_path / "both", only=["quy-che"])
    assert sorted(p.name for p in (tmp_path / "both").iterdir()) == ["quy-che.docx", "quy-che.pdf"]


def test_a_damaged_entry_is_a_miss_and_is_made_again(dossier: Path, tmp_path: Path) -> None:
    build(dossier, tmp_path / "first", only=KINDS)
    stored = _entries(cache.cache_dir())
    for path, data in stored.items():
        path.write_bytes(data[: len(data) // 2])
    build(dossier, tmp_path / "second", only=KINDS)
    assert _outputs(tmp_path / "second") == _outputs(tmp_path / "first")
    assert _entries(cache.cache_dir()) == stored


def test_least_recently_used_entries_go_first(tmp_path: Path) -> None:
    store = Cache(tmp_path / "c")
    keys = [store.key("pdf", bytes([i])) for i in range(4)]
    for i, key in enumerate(keys):
        store.put(key, Entry({"pdf": bytes([i]) * 1000}, []))
        os.utime(store._path(key), (1000 + i, 1000 + i))
    store.max_bytes = 3 * store._path(keys[0]).stat().st_size
    assert store.get(keys[0]) is not None  # used now: the most recent
    store.trim()
    assert store.get(keys[1]) is None, "the least recently used went"
    assert [store.get(k) is not None for k in (keys[0], keys[2], keys[3])] == [True] * 3
    assert sum(p.stat().st_size for p in (tmp_path / "c").rglob("*") if p.is_file()) <= (
        store.max_bytes)


def _hammer(folder: str, rounds: int) -> int:
    """Write and read one key over and over; return how many reads saw a wrong entry."""
    store = Cache(folder)
    key = store.key("pdf", b"same")
    wrong = 0
    for i in range(rounds):
        store.put(key, Entry({"pdf": bytes([i % 2]) * 200_000}, [f"w{i % 2}"]))
        entry = store.get(key)
        if entry is None or entry.blobs["pdf"] not in (b"\0" * 200_000, b"\1" * 200_000):
            wrong += 1
    return wrong


def test_two_processes_at_once_never_read_a_partial_entry(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        wrong = pool.starmap(_hammer, [(str(tmp_path), 200)] * 2)
    assert wrong == [0, 0]
    assert not list(tmp_path.rglob("*.tmp")), "no temporary file is left behind"


def test_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "vanban" / "pdf"


def test_another_renderer_or_font_is_another_key(tmp_path: Path) -> None:
    store = Cache(tmp_path)
    assert store.key("pdf", b"fonts A", b"docx") != store.key("pdf", b"fonts B", b"docx")
    assert store.key("pdf", b"ab", b"c") != store.key("pdf", b"a", b"bc")
    assert store.key("pdf", b"x") != store.key("contents", b"x")


def test_fitted_entries_follow_vanban_code_and_pdfs_do_not(monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    """A fitted document's entry holds what the fitting pass chose: another vanban (its
    fitting module edited in a checkout) is another key. A PDF depends on the renderer alone."""
    from vanban import build as build_module

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    keys = []
    for code in (b"vanban A", b"vanban B"):
        monkeypatch.setattr(build_module, "docx_fingerprint", lambda code=code: code)
        pdfs = build_module._Pdfs(True)
        keys.append({kind: pdfs.key(kind, b"draft") for kind in ("fit", "contents", "pdf")})
    assert keys[0]["fit"] != keys[1]["fit"]
    assert keys[0]["contents"] != keys[1]["contents"]
    assert keys[0]["pdf"] == keys[1]["pdf"]
    # The code hashed (package_fingerprint) is every file of the package, the fitting pass's
    # among them.
    package = Path(cache.__file__).parent
    copy = tmp_path / "vanban"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache._tree_digest(copy)
    with (copy / "fitting.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited\n")
    assert cache._tree_digest(copy) != before


def test_plain_bytes_tell_values_and_types_apart() -> None:
    from dataclasses import dataclass
    from datetime import date

    from markupsafe import Markup

    @dataclass
    class Pair:
        a: object
        b: object

    values = [None, "1", 1, 1.0, True, [1], (1,), {"k": 1}, {"dict": [["k", 1]]},
              date(2025, 7, 1), "2025-07-01", Pair(1, "x"), Pair("1", "x")]
    described = [cache.plain_bytes(v) for v in values]
    assert None not in described
    assert len(set(described)) == len(values), "different values, different bytes"
    assert cache.plain_bytes({"k": [Pair(1, date(2025, 7, 1))]}) == cache.plain_bytes(
        {"k": [Pair(1, date(2025, 7, 1))]})
    # Not plain data: what it stands for is unknown, so it is never cached.
    assert cache.plain_bytes({"k": Markup("<b>x</b>")}) is None
    assert cache.plain_bytes([object()]) is None
    assert cache.plain_bytes({1: "x"}) is None


def _lays_out_surely(hoso: Path, *, cache: bool = True) -> dict[str, bool]:
    """Return, for each document of `hoso`, whether it is known to need laying out before
    its DOCX is rendered."""
    from vanban import documents, resources
    from vanban.build import _Job, _Pdfs
    from vanban.loading import load

    loaded = load(hoso)
    pdfs = _Pdfs(cache)
    return {out.name: _Job(out, resources.template_path(out.template, None),
                           loaded.hoso.kieu_dau, True, True, store=pdfs).lays_out_surely(pdfs)
            for out in documents.collect(loaded, KINDS)}


def test_the_documents_an_edit_changed_are_known_before_they_are_rendered(
        tmp_path: Path) -> None:
    """So a rebuild starts making the PDF engine ready at once (see vanban.build.render)."""
    data = dossiers.sample()
    before = dossiers.copy(tmp_path / "before", data)
    assert all(_lays_out_surely(before).values())  # nothing cached yet
    build(before, tmp_path / "out1", only=KINDS)
    assert not any(_lays_out_surely(before).values())
    assert all(_lays_out_surely(before, cache=False).values())
    data["quy_che"]["trich_yeu"] += " (sửa đổi)"
    after = dossiers.copy(tmp_path / "after", data)
    sure = {name for name, yes in _lays_out_surely(after).items() if yes}
    build(after, tmp_path / "out2", only=KINDS)
    out1, out2 = _outputs(tmp_path / "out1"), _outputs(tmp_path / "out2")
    changed = {n[:-5] for n in out1 if n.endswith(".docx") and out1[n] != out2[n]}
    assert sure == changed
    assert 0 < len(sure) < len(out1) // 2
