import shutil
from pathlib import Path

import pytest

from benchmarks import html_cpu_ratio

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_a_folder_without_pages_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        html_cpu_ratio.main([str(tmp_path)])
    assert stopped.value.code == 2
    assert "no *.html pages found" in capsys.readouterr().err


@pytest.mark.slow
def test_prints_the_cpu_figures_of_both_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for page in SEEDS.glob("*.html"):
        shutil.copy(page, tmp_path / page.name)
    assert html_cpu_ratio.main([str(tmp_path), "--batch-size", "1"]) == 0
    line = capsys.readouterr().out.strip()
    figures = dict(part.split("=") for part in line.split())
    assert int(figures["pages"]) == len(list(SEEDS.glob("*.html"))) > 0
    assert float(figures["extract_cpu"]) > 0 and float(figures["read_input_cpu"]) > 0
    # The figures print with three decimals: on one page's milliseconds that rounds by up to a few %.
    assert float(figures["ratio"]) == pytest.approx(
        float(figures["extract_cpu"]) / (float(figures["read_input_cpu"]) + float(figures["process_items_cpu"])),
        rel=0.2,
    )
