"""Which Prefect API a run reports to: the one configured, the project's own server when it is up, or none.

``scripts/prefect-server.sh`` (``make server``) records its API URL in ``$PREFECT_HOME/server.url``
when it starts and removes it when it stops. A run that finds no ``PREFECT_API_URL`` asks that
URL's ``/health`` with a short timeout: a server that answers shows the run in its UI, and one
that does not leaves the run to Prefect's embedded mode. Nothing here reads the environment; the
caller passes the settings in.
"""

from __future__ import annotations

from pathlib import Path

import httpx

SERVER_URL_FILE = "server.url"
HEALTH_TIMEOUT_SECONDS = 1.0


def recorded_server(prefect_home: Path) -> str | None:
    """The API URL the project's server recorded when it started.

    Args:
        prefect_home: The project's PREFECT_HOME.

    Returns:
        The URL (``http://127.0.0.1:4200/api``), or None when no server recorded one.
    """
    try:
        url = (prefect_home / SERVER_URL_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return url if url.startswith(("http://", "https://")) else None


def server_answers(api_url: str, timeout: float = HEALTH_TIMEOUT_SECONDS) -> bool:
    """Ask a Prefect API's health check.

    Args:
        api_url: The API URL, ending in ``/api``.
        timeout: Seconds to wait for the answer.

    Returns:
        True when ``<api_url>/health`` answers 200 within the timeout.
    """
    try:
        response = httpx.get(api_url.rstrip("/") + "/health", timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def project_server(prefect_home: Path, timeout: float = HEALTH_TIMEOUT_SECONDS) -> str | None:
    """The API URL of the project's own Prefect server, when it is up.

    Args:
        prefect_home: The project's PREFECT_HOME, where the server recorded its URL.
        timeout: Seconds to wait for its health check.

    Returns:
        The API URL when the recorded server answers its health check in time, else None.
    """
    url = recorded_server(prefect_home)
    return url if url is not None and server_answers(url, timeout) else None


def ui_address(api_url: str) -> str:
    """The UI's address for an API URL: the same server without the trailing ``/api``.

    Args:
        api_url: The API URL.

    Returns:
        The UI's address.
    """
    url = api_url.rstrip("/")
    return url[: -len("/api")] if url.endswith("/api") else url


def main() -> None:
    """Print the project's server's API URL when it is up, else nothing (``make report`` reads it).

    PREFECT_HOME names the project's Prefect state (the Makefile exports it).
    """
    import os

    url = project_server(Path(os.environ.get("PREFECT_HOME", ".prefect")))
    if url is not None:
        print(url)


if __name__ == "__main__":
    main()
