"""API keys (stored as digests, checked on every /v1 route), request ids, and request logs
without personal data: a resident ID and a name sent every way a client can send them
never reach the server's output."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from service_support import EXAMPLES, SECRET_ID, SECRET_NAME, LiveServer

from civilaffairs.cli import main
from civilaffairs.service.auth import hash_key, key_from_headers, key_matches
from civilaffairs.service.settings import ServiceConfigError, Settings

KEY = "test-key-7f1c2a9e4b"
SERVER_ENV = {"CIVILAFFAIRS_SERVICE_KEYS": hash_key("another-key") + "," + hash_key(KEY)}

HOME = json.loads((EXAMPLES / "households" / "beijing-3.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def http(live: LiveServer) -> Any:
    with httpx.Client(base_url=live.url, timeout=60) as client:
        yield client


def test_every_v1_route_wants_a_key(http: httpx.Client) -> None:
    for method, path in [
        ("GET", "/v1/programs"),
        ("GET", "/v1/plugins"),
        ("GET", "/v1/checks"),
        ("GET", "/v1/schema/household"),
        ("GET", "/v1/standards/110105"),
        ("POST", "/v1/assess"),
        ("POST", "/v1/assess/batch"),
        ("POST", "/v1/validate"),
        ("POST", "/v1/checks/children.classify"),
    ]:
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"X-API-Key": hash_key(KEY)},
            {"Authorization": f"Basic {KEY}"},
        ):
            response = http.request(method, path, headers=headers, content=b"{}")
            assert response.status_code == 401, (method, path, headers)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert response.json()["code"] == "unauthorized"


def test_the_right_key_opens(http: httpx.Client) -> None:
    assert http.get("/v1/programs", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert http.get("/v1/programs", headers={"X-API-Key": KEY}).status_code == 200
    other = {"Authorization": "Bearer another-key"}
    assert http.get("/v1/plugins", headers=other).status_code == 200


def test_health_is_open(http: httpx.Client) -> None:
    assert http.get("/healthz").status_code == 200
    assert http.get("/readyz").status_code == 200


def test_request_ids_are_echoed_or_made(http: httpx.Client) -> None:
    given = http.get("/healthz", headers={"X-Request-ID": "abc-123.x"})
    assert given.headers["x-request-id"] == "abc-123.x"
    made = http.get("/healthz", headers={"X-Request-ID": "not a token\u00e9".encode()})
    assert made.headers["x-request-id"] != "not a token"
    assert len(made.headers["x-request-id"]) == 32
    assert http.get("/healthz").headers["x-request-id"] != made.headers["x-request-id"]


def test_no_personal_data_in_the_logs(http: httpx.Client, live: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {KEY}"}
    member = dict(
        HOME["members"][0], id_number=SECRET_ID, name=SECRET_NAME, sex=None, birth_date=None
    )
    home = dict(HOME, members=[member, *HOME["members"][1:]])
    body = json.dumps(home, ensure_ascii=False).encode()
    bad = json.dumps(dict(home, residence=SECRET_NAME), ensure_ascii=False).encode()
    ids: list[str] = []
    calls = [
        ("POST", "/v1/assess?on=2024-08", body, auth),
        ("POST", "/v1/assess?on=2024-08", bad, auth),
        ("POST", f"/v1/assess?on={SECRET_ID}", body, auth),
        ("POST", "/v1/assess/batch?on=2024-08", body + b"\n" + bad + b"\n", auth),
        ("POST", "/v1/validate", bad, auth),
        ("POST", "/v1/checks/children.classify", body, auth),
        ("GET", f"/v1/standards/{SECRET_ID}", b"", auth),
        ("GET", f"/v1/{SECRET_ID}/{SECRET_NAME}", b"", auth),
        ("POST", "/v1/assess", body, {"Authorization": f"Bearer {SECRET_ID}"}),
        (
            "POST",
            "/v1/assess",
            body,
            {**auth, "X-Request-ID": SECRET_ID, "User-Agent": SECRET_NAME.encode()},
        ),
    ]
    for method, url, content, headers in calls:
        response = http.request(method, url, content=content, headers=headers)
        assert response.status_code < 500
        ids.append(response.headers["x-request-id"])
    text = live.log_path.read_text("utf-8")
    digits = SECRET_ID[:17]
    assert digits not in text and SECRET_ID not in text
    assert SECRET_NAME not in text
    lines = live.log_lines()
    logged = [x for x in lines if x.get("event") == "request"]
    for rid in ids:
        (line,) = [x for x in logged if x["request_id"] == rid]
        assert set(line) == {"ts", "event", "request_id", "method", "path", "status", "duration_ms"}
    paths = {x["path"] for x in logged}
    assert {"/v1/standards/{region}", "/v1/assess", "(no route)"} <= paths


def test_keys_are_compared_as_digests() -> None:
    digests = frozenset({hash_key("one"), hash_key("two")})
    assert key_matches("two", digests)
    assert not key_matches(hash_key("two"), digests)
    assert not key_matches(None, digests)
    assert key_from_headers({"authorization": "bearer  k1 "}) == "k1"
    assert key_from_headers({"x-api-key": "k2"}) == "k2"
    assert key_from_headers({"authorization": "Basic k1"}) is None


def test_hash_key_prints_the_digest() -> None:
    result = CliRunner().invoke(main_command(), ["serve", "--hash-key", KEY])
    assert result.stdout.strip() == hash_key(KEY)
    result = CliRunner().invoke(main_command(), ["serve", "--hash-key", "-"], input=KEY + "\n")
    assert result.stdout.strip() == hash_key(KEY)


def main_command() -> Any:
    from civilaffairs.cli import cli

    return cli


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.org"])
def test_no_keys_no_public_address(
    host: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CIVILAFFAIRS_SERVICE_KEYS", raising=False)
    monkeypatch.delenv("CIVILAFFAIRS_SERVICE_KEYS_FILE", raising=False)
    assert main(["serve", "--host", host]) == 1
    assert "--insecure-no-auth" in capsys.readouterr().err
    with pytest.raises(ServiceConfigError):
        Settings(host=host).check_bind()
    Settings(host=host, insecure_no_auth=True).check_bind()
    Settings(host=host, key_digests=frozenset({hash_key("k")})).check_bind()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "localhost"])
def test_loopback_needs_no_keys(host: str) -> None:
    Settings(host=host).check_bind()


def test_settings_from_the_environment(tmp_path: Any) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"# service keys\n{hash_key('a')}\n\n{hash_key('b')}  # ops\n")
    env = {
        "CIVILAFFAIRS_SERVICE_MAX_BODY_BYTES": "2048",
        "CIVILAFFAIRS_SERVICE_REQUEST_TIMEOUT": "2.5",
        "CIVILAFFAIRS_SERVICE_KEYS": hash_key("c").upper(),
        "CIVILAFFAIRS_SERVICE_KEYS_FILE": str(keys),
    }
    settings = Settings.from_env(env, max_batch_lines=7, max_members=None)
    assert settings.max_body_bytes == 2048
    assert settings.request_timeout == 2.5
    assert settings.max_batch_lines == 7
    assert settings.max_members == 100
    assert settings.key_digests == {hash_key("a"), hash_key("b"), hash_key("c")}
    assert Settings.from_env(settings.to_env()) == settings
    for bad in (
        {"CIVILAFFAIRS_SERVICE_PORT": "http"},
        {"CIVILAFFAIRS_SERVICE_KEYS": "secret"},
        {"CIVILAFFAIRS_SERVICE_MAX_MEMBERS": "500"},
        {"CIVILAFFAIRS_SERVICE_KEYS_FILE": str(tmp_path / "none")},
    ):
        with pytest.raises(ServiceConfigError):
            Settings.from_env(bad)
