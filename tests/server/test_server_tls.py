"""`reviewer-server serve --ssl-certfile/--ssl-keyfile` serves HTTPS (a self-signed
certificate made for the test), and `/docs` is off unless asked for."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from server_harness import free_port

from server.embedded import EmbeddedServer

ROOT = Path(__file__).resolve().parents[2]


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_file.chmod(0o600)
    return cert_file, key_file


def test_serve_with_a_certificate_speaks_https(server_dirs: tuple[str, Path],
                                               tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    db_url, data_dir = server_dirs
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--db", db_url,
         "--data-dir", str(data_dir), "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        trusted = ssl.create_default_context(cafile=str(cert))
        while True:
            try:
                reply = httpx.get(f"https://127.0.0.1:{port}/api/v1/me", verify=trusted)
                break
            except httpx.ConnectError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        assert reply.status_code == 401 and reply.json()["error"] == "unauthorized"
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=5)
            plain_refused = False
        except httpx.TransportError:
            plain_refused = True
        assert plain_refused
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_wants_both_certificate_and_key(server_dirs: tuple[str, Path],
                                              tmp_path: Path) -> None:
    cert, _ = _self_signed(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--db", server_dirs[0], "--data-dir",
         str(server_dirs[1]), "--ssl-certfile", str(cert)],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "go together" in done.stderr


def test_api_docs_are_off_unless_asked_for(server_dirs: tuple[str, Path]) -> None:
    db_url, data_dir = server_dirs
    with EmbeddedServer(db_url, data_dir) as server:
        assert httpx.get(server.url + "/docs").status_code == 404
        assert httpx.get(server.url + "/openapi.json").status_code == 200
    with EmbeddedServer(db_url, data_dir, api_docs=True) as server:
        assert httpx.get(server.url + "/docs").status_code == 200
