"""Write a corpus of hostile inputs, and a few good ones, for testing media-etl's ingest.

Each kind of bad input goes into its own folder under the target folder, named after the
kind; the good files go into ``good/``. ``tests/test_bad_inputs.py`` runs the pipeline on
``good/`` plus one kind's folder at a time and states what must happen to each kind.

    python -m tests.support.bad_inputs DIR          # every kind: about 56 MB of disk, and a sparse 60 MiB file
    python -m tests.support.bad_inputs DIR --list   # the kinds and what each holds

Careful with the result: ``fifo/`` holds a named pipe that blocks whatever opens it for
reading (``cat``, ``grep -r`` without ``-D skip``), ``unreadable_file/`` a file with mode
000, ``symlink_loop/`` and ``symlink_outside/`` symlinks that loop or lead to
``/etc/passwd`` and ``/etc``, and ``non_utf8_file_name/`` a name that is not UTF-8.
Nothing here writes outside DIR.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
GOOD = "good"
GOOD_FILES = {
    "good_trend_copy.txt": "000_a24507a823bb7c72.txt",
    "good_anadolu_copy.txt": "002_3a0b39f4f30f4f20.txt",
}
MIB = 1024 * 1024
HUGE_TEXT_BYTES = 50_000_000
"""The "50 MB" text file: 50 million bytes, under the 50 MiB input limit, over the document limit."""
OVER_INPUT_LIMIT_BYTES = 60 * MIB
"""A sparse file past the 50 MiB input limit: it takes no disk space and must not be read."""
BOMB_EXPANDS_TO = 210 * MIB
"""What the gzip bomb inflates to: past the 200 MiB decompression limit."""
SLOW_DOCUMENT_BYTES = 5 * MIB
"""A single article long enough that parsing it takes several seconds."""
DEEP_HTML_LEVELS = 10_000
PASSWD = "/etc/passwd"

_PARAGRAPHS = (
    "News agencies from five countries opened a shared photo desk on Tuesday, {credit}.",
    "The desk will exchange pictures of summits, sports events and natural disasters within minutes "
    "of their release, its coordinator told reporters.",
    "Editors from each agency will staff the desk in turns, starting with a three-month pilot that ends in the spring.",
)


def wire_article(headline: str, *, marker: str | None = "2025-03-12", credit: str = "Trend reports") -> str:
    """A short piece of wire copy in the seeds' layout: optional date marker, headline, dateline, body."""
    first = f"date {marker} {headline}" if marker else headline
    body = "\n\n".join(p.format(credit=credit) for p in _PARAGRAPHS)
    return f"{first}\n\nBAKU, Azerbaijan, March 12. {body}\n"


def long_body(size: int) -> str:
    """Wire copy of about ``size`` characters: one headline and many distinct paragraphs."""
    head = wire_article("Agencies publish their yearly archive in full", marker="2025-03-12")
    lines = [head]
    total = len(head)
    number = 0
    while total < size:
        number += 1
        line = (
            f"\nParagraph {number} of the archive records one more exchange of reporters between "
            f"the agencies, this one numbered {number * 7919 % 100_003}, and its outcome.\n"
        )
        lines.append(line)
        total += len(line)
    return "".join(lines)


def _page(title: str, body: str, head: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>\n'
        f"<body>{body}</body></html>\n"
    )


ARTICLE_PAGE = _page(
    "Agencies open a shared photo desk",
    "<article><h1>Agencies open a shared photo desk</h1>"
    + "".join(f"<p>{p.format(credit='the organisers said')}</p>" for p in _PARAGRAPHS)
    + "</article>",
)


def _rss(items: str, *, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{prolog}<rss version="2.0"><channel>'
        "<title>Hostile wire</title><link>https://example.org/</link><description>Test feed</description>"
        f"{items}</channel></rss>\n"
    )


def _item(title: str, link: str, text: str, guid: str) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
        f"<pubDate>Tue, 11 Mar 2025 09:30:00 +0000</pubDate><description>{text}</description></item>"
    )


def _png() -> bytes:
    """A valid 1x1 grey PNG image."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")
    )


def _gzip_bomb(expands_to: int) -> bytes:
    """One gzip member of ``expands_to`` zero bytes (a whole number of MiB), about 1,000 times smaller.

    After a full flush the compressor starts afresh, so every MiB of zeros compresses to
    the same bytes: one block is compressed and repeated, and the gzip header and trailer
    (CRC-32 and size) are written here. Much faster than compressing 210 MiB.
    """
    block = bytes(MIB)
    count = expands_to // MIB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no flags, no mtime, best compression
    trailer = struct.pack("<II", crc, (count * MIB) % 2**32)
    return header + first + repeated * (count - 1) + deflate.flush() + trailer


def _write(folder: Path, name: str | bytes, data: bytes | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name))) if isinstance(name, bytes) else folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _seed(name: str) -> bytes:
    return (SEEDS / name).read_bytes()


def _mixed_line_endings(text: str) -> bytes:
    """End the lines with CRLF, CR and LF in turn; never CR then an empty line's LF, which would read as one CRLF."""
    endings = ("\r\n", "\r", "\n")
    out: list[str] = []
    previous = ""
    lines = text.split("\n")
    for number, line in enumerate(lines[:-1]):
        ending = endings[number % 3]
        if previous == "\r" and not line and ending == "\n":
            ending = "\r\n"
        out.append(line + ending)
        previous = ending
    return ("".join(out) + lines[-1]).encode("utf-8")


# --- the kinds ------------------------------------------------------------------------------


def empty(folder: Path) -> None:
    _write(folder, "empty.txt", b"")


def whitespace_only(folder: Path) -> None:
    _write(folder, "blank.txt", b" \n\t\r\n   \n\x0b\x0c\n")


def nul_bytes(folder: Path) -> None:
    text = _seed("sample_02_reuters_paris.txt")
    middle = len(text) // 2
    _write(folder, "nul_padded.txt", text[:middle] + b"\x00\x00\x00" + text[middle:] + b"\x00" * 64)


def invalid_utf8(folder: Path) -> None:
    text = _seed("002_3a0b39f4f30f4f20.txt")  # UTF-8 with curly quotes throughout
    middle = len(text) // 2
    _write(folder, "broken_utf8.txt", text[:middle] + b"\xff\xfe\xc3\x28" + text[middle:])


def utf16_bom(folder: Path) -> None:
    _write(folder, "turkish_utf16.txt", _seed("sample_07_aa_ankara_tr.txt").decode("utf-8").encode("utf-16"))


def utf16_no_bom(folder: Path) -> None:
    _write(folder, "azerbaijani_utf16le.txt", _seed("sample_04_trend_az_baki.txt").decode("utf-8").encode("utf-16-le"))


def windows_1251(folder: Path) -> None:
    _write(folder, "russian_cp1251.txt", _seed("sample_05_kazinform_ru_astana.txt").decode("utf-8").encode("cp1251"))


def mixed_line_endings(folder: Path) -> None:
    _write(folder, "reuters_mixed_eol.txt", _mixed_line_endings(_seed("sample_02_reuters_paris.txt").decode("utf-8")))


def huge_text_50mb(folder: Path) -> None:
    chunk = long_body(MIB).encode("utf-8")
    _write(folder, "archive_50mb.txt", (chunk * (HUGE_TEXT_BYTES // len(chunk) + 1))[:HUGE_TEXT_BYTES])


def over_input_limit(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "sparse_60mib.txt").open("wb") as handle:
        handle.truncate(OVER_INPUT_LIMIT_BYTES)  # sparse: no disk space, all NUL if anyone read it


def single_line_1mb(folder: Path) -> None:
    _write(folder, "one_line.txt", ("agencies exchange reporters " * 40_000)[:1_000_000])


def png(folder: Path) -> None:
    _write(folder, "photo.png", _png())


def zip_archive(folder: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("story.txt", wire_article("Zipped story that is never opened"))
    _write(folder, "stories.zip", buffer.getvalue())


def gzip_bomb(folder: Path) -> None:
    _write(folder, "bomb.txt.gz", _gzip_bomb(BOMB_EXPANDS_TO))


def truncated_gzip(folder: Path) -> None:
    whole = gzip.compress(_seed("sample_02_reuters_paris.txt"), mtime=0)
    _write(folder, "cut_short.txt.gz", whole[: len(whole) // 2])


def gzip_two_members(folder: Path) -> None:
    text = _seed("sample_06_uza_uz_toshkent.txt")
    middle = len(text) // 2
    _write(folder, "two_members.txt.gz", gzip.compress(text[:middle], mtime=0) + gzip.compress(text[middle:], mtime=0))


def html_only_scripts(folder: Path) -> None:
    scripts = "".join(f"<script>var part{n} = {n}; document.title += 'x';</script>" for n in range(20))
    _write(folder, "scripts.html", _page("Loading", scripts, head="<script src='app.js'></script>"))


def html_deep(folder: Path) -> None:
    article = "".join(f"<p>{p.format(credit='the organisers said')}</p>" for p in _PARAGRAPHS)
    body = "<div>" * DEEP_HTML_LEVELS + article + "</div>" * DEEP_HTML_LEVELS
    _write(folder, "deep.html", _page("Nested ten thousand levels deep", body))


def html_no_body_text(folder: Path) -> None:
    _write(folder, "empty_body.html", _page("A page with a title only", "<div><span></span></div><img src='a.png'>"))


def entity_bomb(folder: Path) -> None:
    declarations = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)
    ]
    prolog = "<!DOCTYPE rss [\n" + "\n".join(declarations) + "\n]>\n"
    item = _item("Laughing feed", "https://example.org/lol", "The agencies laughed: &lol9;", "lol-1")
    _write(folder, "billion_laughs.rss", _rss(item, prolog=prolog))


def xxe_file(folder: Path) -> None:
    prolog = f'<!DOCTYPE rss [\n<!ENTITY secret SYSTEM "file://{PASSWD}">\n]>\n'
    item = _item("External entity", "https://example.org/xxe", "The file says: &secret;", "xxe-1")
    _write(folder, "xxe.rss", _rss(item, prolog=prolog))


def xxe_parameter(folder: Path) -> None:
    prolog = f'<!DOCTYPE rss [\n<!ENTITY % remote SYSTEM "file://{PASSWD}">\n%remote;\n]>\n'
    item = _item("External parameter entity", "https://example.org/xxe2", "Nothing to see.", "xxe-2")
    _write(folder, "xxe_parameter.rss", _rss(item, prolog=prolog))


def dtd_too_large(folder: Path) -> None:
    declarations = "\n".join(f'<!ENTITY e{n} "value {n}">' for n in range(1200))
    item = _item("Padded DTD", "https://example.org/dtd", "Body &e1;.", "dtd-1")
    _write(folder, "padded_dtd.rss", _rss(item, prolog=f"<!DOCTYPE rss [\n{declarations}\n]>\n"))


def feed_is_html(folder: Path) -> None:
    _write(folder, "feed.xml", ARTICLE_PAGE)


def rss_zero_items(folder: Path) -> None:
    _write(folder, "no_items.rss", _rss(""))


def feed_file_link(folder: Path) -> None:
    text = "Reporters from the agencies met in Baku to plan a joint photo exchange for the summer."
    _write(folder, "file_link.rss", _rss(_item("Item with a local link", f"file://{PASSWD}", text, "file-1")))


def date_future(folder: Path) -> None:
    marker = (date.today() + timedelta(days=400)).isoformat()
    _write(folder, "future.txt", wire_article("Agencies announce a summit that has not happened", marker=marker))


def date_before_1900(folder: Path) -> None:
    _write(folder, "ancient.txt", wire_article("Telegraph agencies agree on a cable rate", marker="1850-03-12"))


def date_feb_30(folder: Path) -> None:
    _write(folder, "feb30.txt", wire_article("Agencies meet on a day that does not exist", marker="2025-02-30"))


def headline_5000(folder: Path) -> None:
    headline = ("Agencies agree to exchange reporters " * 200)[:5000].strip()
    _write(folder, "long_headline.txt", wire_article(headline))


def zero_paragraphs(folder: Path) -> None:
    _write(folder, "headline_only.txt", "date 2025-03-12 A headline and nothing after it\n")


def duplicate_files(folder: Path) -> None:
    text = _seed("sample_01_ap_washington_video.txt")
    _write(folder, "first copy.txt", text)
    _write(folder, "second copy.txt", text)


def symlink_loop(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "self.txt").symlink_to("self.txt")
    (folder / "ping.txt").symlink_to("pong.txt")
    (folder / "pong.txt").symlink_to("ping.txt")


def symlink_outside(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "passwd.txt").symlink_to(PASSWD)
    (folder / "etc").symlink_to("/etc")


def dangling_symlink(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gone.txt").symlink_to("no-such-file.txt")


def unreadable_file(folder: Path) -> None:
    path = _write(folder, "locked.txt", wire_article("A story nobody may read"))
    path.chmod(0)


def vanished_file(folder: Path) -> None:
    _write(folder, "listed_then_deleted.txt", wire_article("A story deleted after it was listed"))


def fifo(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "pipe.txt")


ODD_NAMES = (
    "with space.txt",
    'quote\'s "double".txt',
    "new\nline.txt",
    "ünïcödé Бакы.txt",
    "-leading-dash.txt",
)


def odd_file_names(folder: Path) -> None:
    text = _seed("sample_03_trend_istanbul_updated.txt")
    for name in ODD_NAMES:
        _write(folder, name, text)


NON_UTF8_NAME = b"caf\xe9 latin-1.txt"


def non_utf8_file_name(folder: Path) -> None:
    _write(folder, NON_UTF8_NAME, wire_article("A file whose name is not UTF-8"))


def dir_named_like_file(folder: Path) -> None:
    _write(folder / "story.txt", "inside.txt", _seed("sample_06_uza_uz_toshkent.txt"))


def _record(title: str, text: str, url: str) -> str:
    return (
        f'{{"title": "{title}", "maintext": "{text}", "date_publish": "2025-03-11 09:30:00", '
        f'"url": "{url}", "source_domain": "example.org", "language": "en"}}'
    )


JSONL_GOOD_LINES = ("Agencies open a joint bureau", "Agencies close the joint bureau")


def jsonl_broken_line(folder: Path) -> None:
    first = _record(JSONL_GOOD_LINES[0], "The agencies opened a joint bureau in Baku on Tuesday.", "https://e.org/1")
    last = _record(JSONL_GOOD_LINES[1], "The agencies closed the joint bureau after a year.", "https://e.org/3")
    _write(folder, "export.jsonl", f'{first}\n{{"title": "Broken", "maintext": "no closing brace\n{last}\n')


CSV_GOOD_TITLE = "Agencies share a newsroom"


def csv_ragged(folder: Path) -> None:
    rows = [
        "title,maintext,url",
        f"{CSV_GOOD_TITLE},The agencies will share a newsroom in Astana from May.,https://e.org/a",
        "Too many fields,The unquoted comma, shifts the columns,https://e.org/b",
        "Too few fields",
    ]
    _write(folder, "ragged.csv", "\n".join(rows) + "\n")


def csv_huge_field(folder: Path) -> None:
    huge = "word " * 40_000  # 200,000 characters: over the csv module's 131,072 field limit
    rows = [
        "title,maintext,url",
        f'Huge field,"{huge}",https://e.org/huge',
        f"{CSV_GOOD_TITLE},The agencies will share a newsroom in Astana from May.,https://e.org/a",
    ]
    _write(folder, "huge_field.csv", "\n".join(rows) + "\n")


def json_not_article(folder: Path) -> None:
    _write(folder, "config.json", '{"theme": "dark", "retries": 3, "mirrors": ["a", "b"]}\n')


def json_too_deep(folder: Path) -> None:
    _write(folder, "deep.json", "[" * 100_000 + "]" * 100_000)


def json_huge_number(folder: Path) -> None:
    good = _record(JSONL_GOOD_LINES[0], "The agencies opened a joint bureau in Baku on Tuesday.", "https://e.org/1")
    _write(folder, "numbers.jsonl", f'{good}\n{{"title": "Big", "maintext": "x", "views": {"9" * 5000}}}\n')


def slow_document(folder: Path) -> None:
    _write(folder, "five_mib_article.txt", long_body(SLOW_DOCUMENT_BYTES))


@dataclass(frozen=True)
class Kind:
    """One kind of hostile input and the function that writes it into its folder."""

    name: str
    describe: str
    write: Callable[[Path], None]


KINDS: tuple[Kind, ...] = (
    Kind("empty", "a file of zero bytes", empty),
    Kind("whitespace_only", "spaces, tabs and line breaks only", whitespace_only),
    Kind("nul_bytes", "wire copy with NUL bytes inside and NUL padding after", nul_bytes),
    Kind("invalid_utf8", "UTF-8 wire copy with four bytes that are not UTF-8", invalid_utf8),
    Kind("utf16_bom", "Turkish wire copy in UTF-16 with a byte-order mark", utf16_bom),
    Kind("utf16_no_bom", "Azerbaijani wire copy in UTF-16 LE without a byte-order mark", utf16_no_bom),
    Kind("windows_1251", "Russian wire copy in Windows-1251", windows_1251),
    Kind("mixed_line_endings", "wire copy with CRLF, CR and LF line endings in turn", mixed_line_endings),
    Kind("huge_text_50mb", "50,000,000 bytes of plain-text wire copy", huge_text_50mb),
    Kind("over_input_limit", "a sparse 60 MiB file, over the input limit", over_input_limit),
    Kind("single_line_1mb", "one line of 1,000,000 characters", single_line_1mb),
    Kind("png", "a PNG image", png),
    Kind("zip_archive", "a zip archive holding a story", zip_archive),
    Kind("gzip_bomb", "220 KB of gzip that inflate to 210 MiB", gzip_bomb),
    Kind("truncated_gzip", "the first half of a gzip file", truncated_gzip),
    Kind("gzip_two_members", "wire copy gzipped as two concatenated members", gzip_two_members),
    Kind("html_only_scripts", "an HTML page of scripts and nothing else", html_only_scripts),
    Kind("html_deep", f"an article inside {DEEP_HTML_LEVELS:,} nested div elements", html_deep),
    Kind("html_no_body_text", "an HTML page with a title and an empty body", html_no_body_text),
    Kind("entity_bomb", "an RSS feed with a billion-laughs entity bomb", entity_bomb),
    Kind("xxe_file", f"an RSS feed with an external entity for {PASSWD}", xxe_file),
    Kind("xxe_parameter", f"an RSS feed with an external parameter entity for {PASSWD}", xxe_parameter),
    Kind("dtd_too_large", "an RSS feed whose DTD declares 1,200 entities", dtd_too_large),
    Kind("feed_is_html", "an HTML article page named feed.xml", feed_is_html),
    Kind("rss_zero_items", "an RSS feed without items", rss_zero_items),
    Kind("feed_file_link", f"an RSS item whose link is file://{PASSWD}", feed_file_link),
    Kind("date_future", "wire copy dated 400 days after today", date_future),
    Kind("date_before_1900", "wire copy dated 1850", date_before_1900),
    Kind("date_feb_30", "wire copy dated 30 February", date_feb_30),
    Kind("headline_5000", "wire copy with a 5,000-character headline", headline_5000),
    Kind("zero_paragraphs", "a headline without a body", zero_paragraphs),
    Kind("duplicate_files", "two identical files", duplicate_files),
    Kind("symlink_loop", "a symlink to itself and two symlinks to each other", symlink_loop),
    Kind("symlink_outside", f"symlinks to {PASSWD} and to /etc", symlink_outside),
    Kind("dangling_symlink", "a symlink to a file that does not exist", dangling_symlink),
    Kind("unreadable_file", "a file with mode 000", unreadable_file),
    Kind("vanished_file", "a file the test deletes after listing it", vanished_file),
    Kind("fifo", "a named pipe called pipe.txt", fifo),
    Kind("odd_file_names", "good copy under names with spaces, quotes, a newline, non-ASCII, a dash", odd_file_names),
    Kind("non_utf8_file_name", "a file whose name is Latin-1, not UTF-8", non_utf8_file_name),
    Kind("dir_named_like_file", "a folder called story.txt holding an article", dir_named_like_file),
    Kind("jsonl_broken_line", "a JSON Lines export whose second line is broken", jsonl_broken_line),
    Kind("csv_ragged", "a CSV export with rows of too many and too few fields", csv_ragged),
    Kind("csv_huge_field", "a CSV export with a 200,000-character field", csv_huge_field),
    Kind("json_not_article", "a JSON document that is not an article", json_not_article),
    Kind("json_too_deep", "JSON nested 100,000 levels deep", json_too_deep),
    Kind("json_huge_number", "a JSON Lines export with a 5,000-digit number", json_huge_number),
    Kind("slow_document", "one 5 MiB article, slow to parse", slow_document),
)
BY_NAME = {kind.name: kind for kind in KINDS}


def write_good(root: Path) -> list[Path]:
    """Write the good files into ``root/good`` and return them."""
    return [_write(root / GOOD, name, _seed(seed)) for name, seed in GOOD_FILES.items()]


def write_corpus(root: Path, kinds: list[str] | None = None) -> dict[str, Path]:
    """Write the good files and the given kinds (default: all) under ``root``.

    Args:
        root: The target folder; created if needed.
        kinds: Names of the kinds to write.

    Returns:
        Each kind's folder (and ``good``), by name.
    """
    root.mkdir(parents=True, exist_ok=True)
    write_good(root)
    folders = {GOOD: root / GOOD}
    for name in kinds or list(BY_NAME):
        folder = root / name
        BY_NAME[name].write(folder)
        folders[name] = folder
    return folders


def main(argv: list[str] | None = None) -> int:
    """Write the corpus into the folder named on the command line."""
    parser = argparse.ArgumentParser(description="Write media-etl's corpus of hostile inputs into DIR.")
    parser.add_argument("dir", type=Path, nargs="?", help="target folder (created; must not hold an earlier corpus)")
    parser.add_argument("--list", action="store_true", help="list the kinds instead of writing them")
    parser.add_argument("--kind", action="append", choices=sorted(BY_NAME), help="write only this kind (repeatable)")
    args = parser.parse_args(argv)
    if args.list:
        for kind in KINDS:
            print(f"{kind.name:22} {kind.describe}")
        return 0
    if args.dir is None:
        parser.error("the target folder DIR is required")
    folders = write_corpus(args.dir, args.kind)
    print(f"wrote {len(folders) - 1} kinds of bad input and {len(GOOD_FILES)} good files into {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
