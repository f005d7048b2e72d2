"""Set up a real RavenDB 4.1 server for the tests, from PyPI packages only, cached between runs.

    python scripts/setup_ravendb41.py [--cache DIR]

What it assembles (see shared/reference/live.md): RavenDB 4.1.0 from the pyravendb-embedded
4.1.1.4 sdist, .NET Core 2.1 from the dotnetcore2 wheel, and OpenSSL 1.1 from the psycopg2-binary
wheel (Debian 12 ships only OpenSSL 3). Prints the folder it set up; the tests find it there
(``~/.cache/dbcompat/ravendb-4.1`` by default, or ``$DBCOMPAT_RAVENDB41``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

DEFAULT = Path(os.environ.get("DBCOMPAT_RAVENDB41", Path.home() / ".cache/dbcompat/ravendb-4.1"))
PACKAGES = [
    ["--no-binary=:all:", "pyravendb-embedded==4.1.1.4"],
    [
        "--only-binary=:all:",
        "--platform",
        "manylinux1_x86_64",
        "--python-version",
        "3.11",
        "--implementation",
        "py",
        "dotnetcore2==2.1.23",
    ],
    [
        "--only-binary=:all:",
        "--platform",
        "manylinux2014_x86_64",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "psycopg2-binary==2.9.5",
    ],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=DEFAULT)
    folder = parser.parse_args().cache
    if (folder / "ready").is_file():
        print(folder)
        return
    with tempfile.TemporaryDirectory() as scratch:
        downloads = Path(scratch)
        for options in PACKAGES:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "-q",
                    "--no-deps",
                    *options,
                    "-d",
                    scratch,
                ],
                check=True,
            )
        build = folder.with_name(folder.name + ".partial")
        shutil.rmtree(build, ignore_errors=True)
        (build / "ssl").mkdir(parents=True)
        with tarfile.open(next(downloads.glob("pyravendb*embedded*.tar.gz"))) as sdist:
            members = [m for m in sdist.getmembers() if "/RavenDBServer/" in m.name and m.isfile()]
            for member in members:
                member.name = "server/" + member.name.split("/RavenDBServer/", 1)[1]
            sdist.extractall(build, members=members, filter="data")
        with zipfile.ZipFile(next(downloads.glob("dotnetcore2-*.whl"))) as wheel:
            for name in wheel.namelist():
                if name.startswith("dotnetcore2/bin/"):
                    wheel.extract(name, build)
        dotnet = build / "dotnetcore2" / "bin" / "dotnet"
        dotnet.chmod(dotnet.stat().st_mode | stat.S_IEXEC)
        with zipfile.ZipFile(next(downloads.glob("psycopg2_binary-*.whl"))) as wheel:
            for name in wheel.namelist():
                base = Path(name).name
                if name.startswith("psycopg2_binary.libs/") and base.startswith(
                    ("libssl", "libcrypto")
                ):
                    target = build / "ssl" / base
                    target.write_bytes(wheel.read(name))
                    link = build / "ssl" / (base.split("-")[0] + ".so.1.1")
                    link.unlink(missing_ok=True)
                    link.symlink_to(base)
        (build / "ready").write_text("RavenDB 4.1.0 (41001), .NET Core 2.1, OpenSSL 1.1\n")
        shutil.rmtree(folder, ignore_errors=True)
        build.rename(folder)
    print(folder)


if __name__ == "__main__":
    main()
