"""Find the document serif (Times New Roman, else Liberation Serif) and cut it once."""

from __future__ import annotations

import copy
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vanban.errors import OutputError, PdfError, os_reason
from vanban.output import write_all

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

#: Faces the documents use: name, fontconfig weight (80 regular, 200 bold), italic.
FACES: dict[str, tuple[int, bool]] = {
    "regular": (80, False),
    "bold": (200, False),
    "italic": (80, True),
    "bold-italic": (200, True),
}
_CSS_FACES = {
    "regular": (400, "normal"),
    "bold": (700, "normal"),
    "italic": (400, "italic"),
    "bold-italic": (700, "italic"),
}
#: Debian package that provides the fallback serif; named in the error message.
FALLBACK_PACKAGE = "fonts-liberation2"
#: Folders searched for Liberation Serif (when ``fc-match`` itself is missing, and for widths).
LIBERATION_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation-serif"),
)
LIBERATION_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold-italic": "LiberationSerif-BoldItalic.ttf",
}
#: Bump when the cutting changes, so cached files are made again.
CUT_VERSION = "2"


def liberation_file(face: str) -> Path | None:
    """Return the first Liberation Serif file of `face` in :data:`LIBERATION_DIRS`, or None."""
    for folder in LIBERATION_DIRS:
        path = folder / LIBERATION_FILES[face]
        if path.is_file():
            return path
    return None


def _ranges(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(cp for start, end in spans for cp in range(start, end + 1))


#: What a cut face keeps: Latin (Basic, Latin-1, Extended-A, the Vietnamese letters of
#: Extended-B and Extended Additional), the combining tone marks, punctuation, ₫ and €,
#: № and ™, and the few arrows, operators and bullets official texts use (TCVN 6909:2001).
REPERTOIRE = _ranges(
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x01A0, 0x01B0),
    (0x02B9, 0x02DD),
    (0x0300, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2116, 0x2116),
    (0x2122, 0x2122),
    (0x2190, 0x2193),
    (0x2212, 0x2212),
    (0x2248, 0x2248),
    (0x2260, 0x2265),
    (0x25A0, 0x25A1),
    (0x25AA, 0x25AB),
    (0x25CB, 0x25CB),
    (0x25CF, 0x25CF),
    (0x25C6, 0x25C6),
    (0x2713, 0x2713),
    (0xFFFD, 0xFFFD),
)
#: Code points that keep a glyph when the font maps several to one glyph (Đ over
#: Icelandic Ð, the space over no-break space, …): the others get copies, so that a
#: full-font ToUnicode map gives back exactly the text.
_PREFERRED = _ranges((0x0020, 0x007E), (0x1EA0, 0x1EF9)) | frozenset(
    map(ord, "ĐđƠơƯưĂăĨĩŨũÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
)


@dataclass(frozen=True)
class FontSet:
    """The four cut faces of one serif family, ready for ``@font-face``."""

    #: Family of the source files ("Times New Roman" or "Liberation Serif").
    family: str
    #: Source file of each face.
    sources: dict[str, Path]
    #: Cut file of each face, in the cache folder.
    files: dict[str, Path]

    @property
    def css_family(self) -> str:
        """CSS family of the cut faces; unique so no installed face can shadow them."""
        return f"{self.family} Vanban"

    def font_face_css(self) -> str:
        """Return the ``@font-face`` rules for the four faces."""
        rules = []
        for face, path in self.files.items():
            weight, style = _CSS_FACES[face]
            rules.append(
                f'@font-face {{ font-family: "{self.css_family}"; src: url("{path.as_uri()}");'
                f" font-weight: {weight}; font-style: {style}; }}"
            )
        return "\n".join(rules)


_lock = threading.Lock()
_font_set: FontSet | None = None


def font_set() -> FontSet:
    """Return the cut faces, finding and cutting them on first use in the process."""
    global _font_set
    with _lock:
        if _font_set is None:
            family, sources = find_sources()
            folder = cache_dir()
            files = {face: cut_font(path, folder) for face, path in sources.items()}
            _font_set = FontSet(family, sources, files)
        return _font_set


def clear_cache() -> None:
    """Forget the faces found in this process (the cut files stay on disk)."""
    global _font_set
    with _lock:
        _font_set = None


def find_sources() -> tuple[str, dict[str, Path]]:
    """Return the family and the file of each face: Times New Roman, else Liberation Serif.

    Never another face: when neither family is installed in full, raise
    :class:`~vanban.errors.PdfError` naming the package to install.
    """
    families = ("Times New Roman", "Liberation Serif")
    asks = [(family, face, spec) for family in families for face, spec in FACES.items()]
    answers = _fc_ask_all([(family, *spec) for family, _, spec in asks])
    if answers is None:
        from concurrent.futures import ThreadPoolExecutor

        # Each question is an fc-match process: ask them all at once.
        with ThreadPoolExecutor(len(asks)) as pool:
            answers = list(pool.map(lambda ask: _fc_match(ask[0], *ask[2]), asks))
    for family in families:
        found = {face: path for (fam, face, _), path in zip(asks, answers, strict=True)
                 if fam == family}
        if all(found.values()):
            return family, {face: path for face, path in found.items() if path}
    for folder in LIBERATION_DIRS:
        paths = {face: folder / name for face, name in LIBERATION_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            return "Liberation Serif", paths
    raise PdfError(
        "thiếu phông Times New Roman và Liberation Serif để tạo PDF: "
        f"cài gói {FALLBACK_PACKAGE} (apt-get install {FALLBACK_PACKAGE})"
    )


def _fc_match(family: str, weight: int, italic: bool) -> Path | None:
    """Ask fontconfig for one face; None unless the match really is that family and face."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    pattern = f"{family}:weight={weight}:slant={100 if italic else 0}"
    try:
        out = subprocess.run(
            [exe, "-f", "%{file}\n%{family}\n%{weight}\n%{slant}\n", pattern],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    lines = out.split("\n")
    if len(lines) < 4 or not lines[0]:
        return None
    path, families, got_weight, got_slant = lines[:4]
    try:
        return _matched(family, weight, italic, path, families.split(","), float(got_weight),
                        float(got_slant))
    except ValueError:
        return None


def _matched(family: str, weight: int, italic: bool, path: str, families: list[str],
             got_weight: float, got_slant: float) -> Path | None:
    """Return the file fontconfig answered with, unless it is not that family and face."""
    # fontconfig substitutes a metric-compatible family silently; refuse that here.
    if family.lower() not in (name.strip().lower() for name in families):
        return None
    weight_ok = abs(int(got_weight) - weight) <= 20
    slant_ok = (int(got_slant) > 0) == italic
    file = Path(path)
    return file if weight_ok and slant_ok and file.is_file() else None


#: fontconfig's C library (Linux, macOS).
_FONTCONFIG_LIBRARIES = ("libfontconfig.so.1", "libfontconfig.1.dylib")
#: fontconfig's ``FcResultMatch`` and ``FcMatchPattern``.
_FC_MATCH = 0
_FC_MATCH_PATTERN = 0


def _fc_ask_all(asks: list[tuple[str, int, bool]]) -> list[Path | None] | None:
    """Ask fontconfig's library, in this process, for each (family, weight, italic) of `asks`.

    The answers are those of :func:`_fc_match` (the same library, configuration and calls
    as ``fc-match``) at about a millisecond each instead of a process each. Returns None
    when the library cannot be loaded (then ask ``fc-match``).
    """
    import ctypes

    lib = None
    for name in _FONTCONFIG_LIBRARIES:
        try:
            lib = ctypes.CDLL(name)
            break
        except OSError:
            continue
    if lib is None:
        return None
    void_p, text_p = ctypes.c_void_p, ctypes.c_char_p
    try:
        lib.FcInitLoadConfigAndFonts.restype = void_p
        lib.FcInitLoadConfigAndFonts.argtypes = []
        lib.FcConfigDestroy.argtypes = [void_p]
        lib.FcNameParse.restype = void_p
        lib.FcNameParse.argtypes = [text_p]
        lib.FcConfigSubstitute.argtypes = [void_p, void_p, ctypes.c_int]
        lib.FcDefaultSubstitute.argtypes = [void_p]
        lib.FcFontMatch.restype = void_p
        lib.FcFontMatch.argtypes = [void_p, void_p, ctypes.POINTER(ctypes.c_int)]
        lib.FcPatternDestroy.argtypes = [void_p]
        lib.FcPatternGetString.argtypes = [void_p, text_p, ctypes.c_int,
                                           ctypes.POINTER(text_p)]
        lib.FcPatternGetDouble.argtypes = [void_p, text_p, ctypes.c_int,
                                           ctypes.POINTER(ctypes.c_double)]
    except AttributeError:  # not fontconfig after all
        return None
    config = lib.FcInitLoadConfigAndFonts()
    if not config:
        return None
    try:
        return [_fc_ask(lib, config, *ask) for ask in asks]
    finally:
        lib.FcConfigDestroy(config)


def _fc_ask(lib: Any, config: int, family: str, weight: int, italic: bool) -> Path | None:
    """Ask fontconfig's library for one face, as ``fc-match`` does (see :func:`_fc_match`)."""
    import ctypes

    pattern = lib.FcNameParse(f"{family}:weight={weight}:slant={100 if italic else 0}".encode())
    if not pattern:
        return None
    try:
        lib.FcConfigSubstitute(config, pattern, _FC_MATCH_PATTERN)
        lib.FcDefaultSubstitute(pattern)
        match = lib.FcFontMatch(config, pattern, ctypes.byref(ctypes.c_int()))
    finally:
        lib.FcPatternDestroy(pattern)
    if not match:
        return None
    text, number = ctypes.c_char_p(), ctypes.c_double()
    try:
        families: list[str] = []
        while lib.FcPatternGetString(match, b"family", len(families),
                                     ctypes.byref(text)) == _FC_MATCH:
            families.append((text.value or b"").decode("utf-8", "replace"))
        if lib.FcPatternGetString(match, b"file", 0, ctypes.byref(text)) != _FC_MATCH:
            return None
        path = os.fsdecode(text.value or b"")
        got: list[float] = []
        for name in (b"weight", b"slant"):
            if lib.FcPatternGetDouble(match, name, 0, ctypes.byref(number)) != _FC_MATCH:
                return None
            got.append(number.value)
    finally:
        lib.FcPatternDestroy(match)
    return _matched(family, weight, italic, path, families, *got)


def cache_dir() -> Path:
    """Return a writable folder for cut fonts: the user cache, else a temporary one."""
    from vanban.cache import user_cache_dir

    candidates = [
        user_cache_dir("fonts"),
        Path(tempfile.gettempdir()) / f"vanban-fonts-{getattr(os, 'getuid', lambda: 0)()}",
    ]
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
            return folder
        except OSError:
            continue
    return Path(tempfile.mkdtemp(prefix="vanban-fonts-"))


def cut_font(source: Path, folder: Path) -> Path:
    """Return the cut copy of `source` in `folder`, making it when absent (atomic write)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise PdfError(f"không đọc được phông {source}: {os_reason(exc)}") from exc
    digest = hashlib.sha256(data + CUT_VERSION.encode()).hexdigest()[:16]
    target = folder / f"{source.stem}-{digest}.ttf"
    if target.is_file():
        return target
    buffer = io.BytesIO()
    _cut(data).save(buffer)
    try:
        write_all([(target, buffer.getvalue())], force=True)
    except OutputError as exc:
        raise PdfError(f"không ghi được phông vào bộ nhớ đệm: {exc}") from exc
    return target


def _cut(data: bytes) -> TTFont:
    """Subset a font to :data:`REPERTOIRE`, keeping layout features, kerning and names."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    # fontTools' default feature list (ccmp, locl, mark, mkmk, kern, liga, …) is what
    # shaping Vietnamese needs; dropping sups/subs/dlig keeps their glyphs out.
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.legacy_kern = True
    options.notdef_outline = True
    options.hinting = False
    options.glyph_names = False
    options.recalc_timestamp = False
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=REPERTOIRE)
    # fontTools logs every table it drops (FFTM, …) as a warning; that is expected here.
    log = logging.getLogger("fontTools.subset")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        subsetter.subset(font)
    finally:
        log.setLevel(level)
    _split_shared_glyphs(font)
    return font


def _split_shared_glyphs(font: TTFont) -> None:
    """Give every code point its own glyph (TrueType outlines only)."""
    if "glyf" not in font:
        return
    best = font.getBestCmap()
    by_glyph: dict[str, list[int]] = defaultdict(list)
    for codepoint, name in best.items():
        by_glyph[name].append(codepoint)
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    remap: dict[int, str] = {}
    for name, codepoints in sorted(by_glyph.items()):
        if len(codepoints) < 2:
            continue
        codepoints.sort(key=lambda cp: (cp not in _PREFERRED, cp))
        for codepoint in codepoints[1:]:
            copy_name = f"{name}.u{codepoint:04X}"
            glyf.glyphs[copy_name] = copy.deepcopy(glyf[name])
            hmtx.metrics[copy_name] = hmtx.metrics[name]
            order.append(copy_name)
            remap[codepoint] = copy_name
    if not remap:
        return
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    for table in font["cmap"].tables:
        if table.isUnicode():
            for codepoint, copy_name in remap.items():
                if codepoint in table.cmap:
                    table.cmap[codepoint] = copy_name
