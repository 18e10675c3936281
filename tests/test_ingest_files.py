import os
from pathlib import Path

import pytest

from media_etl.ingest.files import decode_bytes, discover_inputs, iter_inputs, looks_binary, read_text
from media_etl.records import Rejection, SourceItem


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def test_discovers_folders_files_and_globs_once_in_order(tmp_path):
    a = write(tmp_path, "a.txt", b"x")
    b = write(tmp_path, "sub/b.txt", b"x")
    write(tmp_path, ".hidden/c.txt", b"x")
    write(tmp_path, "sub/.d.txt", b"x")
    files, missing = discover_inputs([str(tmp_path), a, str(tmp_path / "sub" / "*.txt")])
    assert files == sorted([a, b])
    assert missing == []


def test_missing_input_is_a_rejection(tmp_path):
    files, missing = discover_inputs([str(tmp_path / "nope"), str(tmp_path / "*.none")])
    assert files == []
    assert [(r.stage, r.reason_code) for r in missing] == [("read", "missing_input")] * 2
    assert "matches no file" in missing[0].detail


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not_text"),
        (bytes(range(1, 32)) * 40, "not_text"),
    ],
)
def test_unreadable_content_is_rejected_with_reason(tmp_path, data, reason):
    result = read_text(data, "bad.txt")
    assert isinstance(result, Rejection)
    assert (result.stage, result.reason_code) == ("read", reason)


def test_utf8_with_bom_is_read_without_bom():
    result = read_text("\ufeffBaşlık\n\nMetin.".encode(), "bom.txt")
    assert isinstance(result, SourceItem)
    assert result.text.startswith("Başlık") and result.encoding == "utf-8"


def test_latin1_pound_sign_is_decoded_and_recorded():
    text = "The licence costs £159 a year, the broadcaster said in its annual report on Tuesday."
    decoded = decode_bytes(text.encode("latin-1"))
    assert decoded is not None
    assert decoded[0] == text
    assert decoded[1] != "utf-8"


def test_utf16_with_bom_is_text():
    result = read_text("Headline\n\nBody text here.".encode("utf-16"), "u16.txt")
    assert isinstance(result, SourceItem)
    assert result.text.strip() == "Headline\n\nBody text here."


# --- listing: order, streaming, symlinks, special files -------------------------------------------


def listing(inputs: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    files, rejections = discover_inputs(inputs)
    return files, [(r.source_uri, r.reason_code) for r in rejections]


def test_paths_come_in_string_order_across_folders_and_inputs(tmp_path):
    names = ["a.txt", "a/b.txt", "a-c.txt", "a0", "a/z/y.txt", "b", "A.txt", "a b.txt"]
    paths = [write(tmp_path, name, b"x") for name in names]
    files, rejected = listing([str(tmp_path / "a"), str(tmp_path), str(tmp_path / "a.txt")])
    assert files == sorted(paths) and rejected == []


def test_iter_inputs_streams_the_same_listing(tmp_path):
    for name in ["x/1.txt", "x/2.txt", "y/3.txt"]:
        write(tmp_path, name, b"x")
    stream = iter_inputs([str(tmp_path)])
    assert not isinstance(stream, list)
    first = next(stream)
    write(tmp_path, "y/4.txt", b"x")  # listed later: folders are read as the walk reaches them
    assert [first, *stream] == [str(tmp_path / n) for n in ["x/1.txt", "x/2.txt", "y/3.txt", "y/4.txt"]]
    assert list(iter_inputs([str(tmp_path)])) == discover_inputs([str(tmp_path)])[0]


def test_relative_inputs_give_relative_paths(tmp_path, monkeypatch):
    write(tmp_path, "in/a.txt", b"x")
    write(tmp_path, "in/sub/b.txt", b"x")
    monkeypatch.chdir(tmp_path)
    assert listing(["in"]) == (["in/a.txt", "in/sub/b.txt"], [])
    assert listing(["."]) == (["in/a.txt", "in/sub/b.txt"], [])
    assert listing(["in/**/*.txt"]) == (["in/a.txt", "in/sub/b.txt"], [])


@pytest.mark.parametrize(
    ("pattern", "expected", "refused"),
    [
        ("*.txt", ["a.txt", "notes.txt/inner.md"], []),  # a matched folder is listed whole
        ("**/*.txt", ["a.txt", "d/b.txt", "d/e/c.txt", "notes.txt/inner.md"], []),
        ("**", ["a.txt", "d/b.txt", "d/e/c.txt", "notes.txt/inner.md"], []),
        ("d/**/c.*", ["d/e/c.txt"], []),
        (".hidden/*", [".hidden/h.txt"], []),
        # The glob's root is d/, and d/loop leads to its parent: outside.
        ("d/*", ["d/b.txt", "d/e/c.txt"], [("d/loop", "symlink_outside_inputs")]),
        ("*/h.txt", [], [("*/h.txt", "missing_input")]),
    ],
)
def test_globs_match_like_glob_without_walking_symlinked_folders(tmp_path, pattern, expected, refused):
    for name in ["a.txt", "d/b.txt", "d/e/c.txt", ".hidden/h.txt", "notes.txt/inner.md"]:
        write(tmp_path, name, b"x")
    (tmp_path / "d" / "loop").symlink_to(tmp_path)  # a folder loop that glob("**") would walk
    files, rejected = listing([f"{tmp_path}/{pattern}"])
    assert files == [f"{tmp_path}/{name}" for name in expected]
    assert [(uri.removeprefix(f"{tmp_path}/"), code) for uri, code in rejected] == refused


def test_symlinks_inside_the_inputs_are_followed_and_outside_ones_are_not(tmp_path):
    inside = write(tmp_path, "in/real.txt", b"x")
    outside = write(tmp_path, "secret/passwd.txt", b"root:x:0:0")
    (tmp_path / "in" / "to_real.txt").symlink_to("real.txt")
    (tmp_path / "in" / "to_secret.txt").symlink_to(outside)
    (tmp_path / "in" / "escape.txt").symlink_to("../secret/passwd.txt")
    (tmp_path / "in" / "to_secret_dir").symlink_to(tmp_path / "secret")
    (tmp_path / "in" / "to_own_dir").symlink_to(tmp_path / "in")
    files, rejected = listing([str(tmp_path / "in")])
    assert files == [inside, str(tmp_path / "in" / "to_real.txt")]
    prefix = f"{tmp_path}/in/"
    assert [(uri.removeprefix(prefix), code) for uri, code in rejected] == [
        ("escape.txt", "symlink_outside_inputs"),
        ("to_secret.txt", "symlink_outside_inputs"),
        ("to_secret_dir", "symlink_outside_inputs"),
    ]
    # Once the secret folder is an input too, the links into it are inside the inputs.
    files, rejected = listing([str(tmp_path / "in"), str(tmp_path / "secret")])
    assert str(tmp_path / "in" / "to_secret.txt") in files and rejected == []


def test_a_glob_match_that_is_a_symlink_out_of_the_folder_is_refused(tmp_path):
    outside = write(tmp_path, "secret.txt", b"root:x:0:0")
    write(tmp_path, "in/a.txt", b"x")
    (tmp_path / "in" / "b.txt").symlink_to(outside)
    files, rejected = listing([f"{tmp_path}/in/*.txt"])
    assert files == [str(tmp_path / "in" / "a.txt")]
    assert rejected == [(str(tmp_path / "in" / "b.txt"), "symlink_outside_inputs")]


def test_inputs_named_explicitly_are_trusted_even_as_symlinks(tmp_path):
    target = write(tmp_path, "elsewhere/story.txt", b"x")
    write(tmp_path, "elsewhere/more.txt", b"x")
    (tmp_path / "link.txt").symlink_to(target)
    (tmp_path / "linkdir").symlink_to(tmp_path / "elsewhere")
    files, rejected = listing([str(tmp_path / "link.txt"), str(tmp_path / "linkdir")])
    assert files == [
        str(tmp_path / "link.txt"),
        str(tmp_path / "linkdir/more.txt"),
        str(tmp_path / "linkdir/story.txt"),
    ]
    assert rejected == []


def test_loops_dangling_links_and_special_files_are_rejections(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "self").symlink_to("self")
    (folder / "gone.txt").symlink_to("nowhere.txt")
    os.mkfifo(folder / "pipe.txt")
    files, rejected = listing([str(folder), str(folder / "self")])
    assert files == []
    assert sorted((Path(uri).name, code) for uri, code in rejected) == [
        ("gone.txt", "broken_symlink"),
        ("pipe.txt", "not_regular_file"),
        ("self", "symlink_loop"),
    ]


def test_names_that_are_not_utf8_are_rejected_with_a_printable_uri(tmp_path):
    good = write(tmp_path, "good.txt", b"x")
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"x")
    files, rejected = listing([str(tmp_path)])
    assert files == [good]
    assert rejected == [(f"{tmp_path}/caf\\xe9.txt", "bad_file_name")]
    rejected[0][0].encode("utf-8")  # safe to store


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists folders of mode 000 all the same")
def test_a_folder_that_cannot_be_listed_is_a_rejection(tmp_path):
    write(tmp_path, "locked/a.txt", b"x")
    (tmp_path / "locked").chmod(0)
    try:
        files, rejected = listing([str(tmp_path)])
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert files == [] and rejected == [(f"{tmp_path}/locked/", "unreadable")]


# --- decoding --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Headline\n\nBody text." + b"\x00" * 16, "nul_bytes"),
        ("Başlık\n\nGövde metni, “tırnaklı” ve uzun.".encode()[:-3] + b"\xff" + b"ok.", "invalid_utf8"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not_text"),
        (b"PK\x03\x04\x14\x00\x00\x00", "not_text"),
        ("  \n".encode("utf-16"), "empty"),
    ],
)
def test_damaged_text_gets_a_precise_reason(data, reason):
    result = read_text(data, "bad.txt")
    assert isinstance(result, Rejection)
    assert (result.stage, result.reason_code) == ("read", reason)


@pytest.mark.parametrize(
    ("codec", "with_bom", "recorded"),
    [("utf-16-le", False, "utf-16-le"), ("utf-16-be", False, "utf-16-be"), ("utf-32", True, "utf-32")],
)
def test_utf16_and_utf32_are_read(codec, with_bom, recorded):
    text = "Bakıda media forumu işə başlayıb\n\nBAKU, 27 noyabr. Forum başlayıb."
    result = read_text(text.encode(codec), "u.txt")
    assert isinstance(result, SourceItem)
    assert (result.text, result.encoding) == (text, recorded)


def test_windows_1251_is_still_guessed():
    text = "В Астане обсудили сотрудничество информационных агентств и обмен новостями между редакциями."
    result = read_text(text.encode("cp1251"), "ru.txt")
    assert isinstance(result, SourceItem) and result.text == text and result.encoding == "cp1251"


def test_a_symlinked_folder_a_glob_matches_is_walked_in_order(tmp_path):
    write(tmp_path, "in/real/a.txt", b"x")
    write(tmp_path, "in/link.txt", b"x")
    (tmp_path / "in" / "link").symlink_to(tmp_path / "in" / "real")
    files, rejected = listing([f"{tmp_path}/in/link*"])
    assert files == sorted([f"{tmp_path}/in/link/a.txt", f"{tmp_path}/in/link.txt"]) and rejected == []


@pytest.mark.parametrize(
    ("text", "binary"),
    [
        ("plain text\twith\ttabs\r\nand\fform\vfeeds\n" * 10, False),
        ("a" * 150 + "\x01\x02", True),  # 2 controls in 152 characters: over 1 %
        ("a" * 300 + "\x01\x02", False),  # 2 in 302: under 1 %
        ("x\x00", True),
        ("\x1b[31m" + "b" * 99, False),  # one escape in 105 characters
        ("\x1b\x1f" + "b" * 90, True),
    ],
)
def test_looks_binary_counts_control_characters_other_than_text_ones(text, binary):
    assert looks_binary(text) is binary
    # the same answer as counting character by character
    controls = sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f\v")
    assert looks_binary(text) is ("\x00" in text or controls > 0.01 * len(text))
