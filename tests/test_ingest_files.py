from pathlib import Path

import pytest

from media_etl.ingest.files import decode_bytes, discover_inputs, read_text
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
