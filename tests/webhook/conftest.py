"""The webhook's server, shared by its tests: certificates made once, and one server process
for the module (a deadline of 1 s, so that the tests of slow clients end soon)."""

from __future__ import annotations

import pytest

from tests.webhook.serving import start_server, stop_server


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    trustme = pytest.importorskip("trustme")
    folder = tmp_path_factory.mktemp("webhook-tls")
    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1", "dbcompat-webhook.dbcompat.svc")
    files = {name: folder / f"{name}.pem" for name in ("ca", "cert", "key")}
    authority.cert_pem.write_to_path(str(files["ca"]))
    issued.cert_chain_pems[0].write_to_path(str(files["cert"]))
    issued.private_key_pem.write_to_path(str(files["key"]))
    return {name: str(path) for name, path in files.items()}


@pytest.fixture(scope="module")
def webhook(tls_files):
    process, port, lines = start_server(tls_files, "--deadline", "1")
    try:
        yield {"port": port, "ca": tls_files["ca"], "process": process, "lines": lines}
    finally:
        stop_server(process)
    assert process.returncode == 0
    logged = []
    while not lines.empty():
        logged.append(lines.get())
    assert logged[-1]["event"] == "stopped"
    assert not [line for line in logged if line["event"] in ("not-json", "server-error")]
