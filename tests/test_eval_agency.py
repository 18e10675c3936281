"""Floor test for the agency evaluation: the stored agency matches the hand labels on at least 95%."""

import pytest

from benchmarks.eval_agency import CORPORA, TARGET, evaluate, measure, read_labels


def test_labels_cover_wires_and_none():
    labels = read_labels()
    wires = [label for label in labels if label.agency]
    assert len(wires) >= 40 and len(labels) > len(wires)
    assert all(not label.path.startswith("/") for label in labels)


def test_agency_accuracy_on_hand_labels():
    if not CORPORA.is_dir():
        pytest.skip(f"third-party corpora {CORPORA} are absent (they live in ../shared/corpora beside the repo)")
    result = measure()
    assert result["accuracy"] >= TARGET, evaluate()[1]


def test_script_skips_with_a_message_when_the_corpora_are_absent(tmp_path, monkeypatch, capsys):
    import benchmarks.eval_agency as script

    monkeypatch.setattr(script, "CORPORA", tmp_path / "absent")
    script.main()
    assert "skipped: corpora not found" in capsys.readouterr().out
    with pytest.raises(FileNotFoundError):
        script.measure(tmp_path / "absent")
