"""Every deployment in prefect.yaml points at a flow that imports, with parameters it accepts."""

import yaml
from prefect import Flow
from prefect.flows import load_flow_from_entrypoint

from tests.conftest import REPO_ROOT

CONFIG = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))


def test_every_entrypoint_imports_with_valid_parameters(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    assert CONFIG["deployments"]
    for deployment in CONFIG["deployments"]:
        flow = load_flow_from_entrypoint(deployment["entrypoint"])
        assert isinstance(flow, Flow)
        flow.validate_parameters(deployment.get("parameters") or {})


def test_etl_is_scheduled_hourly_on_the_defined_work_pool():
    etl = next(d for d in CONFIG["deployments"] if d["entrypoint"] == "flows/etl.py:etl")
    assert [s["cron"] for s in etl["schedules"]] == ["0 * * * *"]
    assert etl["work_pool"]["name"] == CONFIG["definitions"]["work_pools"]["media_etl_process"]["name"]


def test_etl_deployment_runs_one_at_a_time_and_waits_for_the_warehouse_lock():
    etl = next(d for d in CONFIG["deployments"] if d["entrypoint"] == "flows/etl.py:etl")
    assert etl["concurrency_limit"] == {"limit": 1, "collision_strategy": "ENQUEUE"}
    assert etl["parameters"]["lock_wait"] > 0
