"""Worker processes load their models once, when the pool starts, and reuse them for every batch."""

import os
import time
from datetime import UTC, datetime

import pytest

from media_etl import parallel
from media_etl.defaults import SOURCES_FILE, THEMES_FILE
from media_etl.enrich.entities.models import english_parser, english_pipeline, russian_tagger
from media_etl.enrich.language import detector_for
from media_etl.ledger import FileState
from media_etl.parallel import LocalPool, StageConfig
from tests.conftest import SEEDS


def loads_in_this_process() -> tuple[int, dict[str, int]]:
    """How often each loader of this worker process had to load (cache misses), and its pid."""
    time.sleep(1.0)  # keep this worker busy, so that the other one takes the next probe
    loaders = {
        "registry": parallel._registry,
        "enricher": parallel._enricher,
        "language": detector_for,
        "english_ner": english_pipeline,
        "english_parser": english_parser,
        "russian_ner": russian_tagger,
    }
    return os.getpid(), {name: loader.cache_info().misses for name, loader in loaders.items()}


@pytest.mark.slow
def test_each_worker_loads_its_models_once_at_start_and_reuses_them():
    config = StageConfig(
        run_id="warm-up", loaded_at=datetime.now(UTC), sources=str(SOURCES_FILE), themes=str(THEMES_FILE)
    )
    files = [FileState.of(str(path)) for path in sorted(SEEDS.glob("*.txt"))]
    with LocalPool(config, 2) as pool:
        batches = [pool.submit(files[start::4]) for start in range(4)]
        articles = sum(len(future.result()[0].articles) for future in batches)
        warm_ups = pool.warm_up_intervals()
        assert pool._executor is not None
        probes = [pool._executor.submit(loads_in_this_process) for _ in range(2)]
        loads = dict(probe.result() for probe in probes)
    assert articles > 0
    assert len(warm_ups) == 2 and all(interval.end > interval.start for interval in warm_ups)
    assert len(loads) == 2, "both workers answered"
    for pid, misses in loads.items():
        assert misses == dict.fromkeys(misses, 1), f"worker {pid} loaded something more than once: {misses}"
