"""media_etl.prefect_api: finding the project's Prefect server from the URL it recorded, against a local http.server."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from media_etl.prefect_api import SERVER_URL_FILE, project_server, recorded_server, server_answers, ui_address
from tests.support.processes import free_port


class Health(BaseHTTPRequestHandler):
    """Answers /api/health with 200 and true, as a Prefect server does; anything else is 404."""

    def do_GET(self) -> None:
        healthy = self.path == "/api/health"
        body = b"true" if healthy else b"{}"
        self.send_response(200 if healthy else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def api_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api"
    finally:
        server.shutdown()
        server.server_close()


def test_a_recorded_server_that_answers_is_used(tmp_path: Path, api_url: str):
    (tmp_path / SERVER_URL_FILE).write_text(api_url + "\n", encoding="utf-8")
    assert recorded_server(tmp_path) == api_url
    assert server_answers(api_url)
    assert project_server(tmp_path) == api_url


def test_no_recorded_server_means_embedded_mode(tmp_path: Path):
    assert recorded_server(tmp_path) is None
    assert project_server(tmp_path) is None


def test_a_recorded_server_that_is_gone_is_ignored(tmp_path: Path):
    gone = f"http://127.0.0.1:{free_port()}/api"
    (tmp_path / SERVER_URL_FILE).write_text(gone, encoding="utf-8")
    assert project_server(tmp_path, timeout=0.5) is None


def test_something_else_at_the_address_is_not_a_prefect_server(api_url: str):
    assert not server_answers(api_url.removesuffix("/api") + "/elsewhere")


def test_a_recorded_file_that_is_not_a_url_is_ignored(tmp_path: Path):
    (tmp_path / SERVER_URL_FILE).write_text("127.0.0.1:4200", encoding="utf-8")
    assert recorded_server(tmp_path) is None


def test_ui_address():
    assert ui_address("http://127.0.0.1:4200/api") == "http://127.0.0.1:4200"
    assert ui_address("http://127.0.0.1:4200/api/") == "http://127.0.0.1:4200"
    assert ui_address("https://prefect.example.org") == "https://prefect.example.org"
