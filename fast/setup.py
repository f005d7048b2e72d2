"""Builds dbcompat-fast: dbcompat's ``src/dbcompat/_fast.py``, compiled unchanged by mypyc into the
module ``dbcompat_fast``, which records the CRC-32 of the source it was built from. dbcompat uses
it only when that digest is its own ``_fast.py``'s, so a stale build is never read with.

    pip install ./fast      # from the repository's root; needs a C compiler and Python's headers
"""

import binascii
from pathlib import Path

from mypyc.build import mypycify
from setuptools import setup

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "src" / "dbcompat" / "_fast.py"

source = SOURCE.read_bytes()
module = HERE / "build" / "mypyc-src" / "dbcompat_fast.py"
module.parent.mkdir(parents=True, exist_ok=True)
# The CRC-32 of the source, as dbcompat checks it: it tells a stale build, not an attack.
module.write_bytes(source + f"\n\nBUILT_FROM = {binascii.crc32(source)}\n".encode())
setup(ext_modules=mypycify([str(module)], opt_level="3"))
