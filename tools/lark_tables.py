"""Serialize every grammar's LALR parser, so that explaining an invalid version does not build a
grammar on every process start.

Lark builds a parser in about 20 ms per grammar; loading it from its serialized tables takes under
a millisecond. The tables are written as a Python literal into ``dbcompat/reading/_lark_tables.py``,
checked in and tested for staleness like ``_patterns.py``, never as a pickle in a shared folder.
They carry the hash of the grammar files (a test fails when it is not theirs) and the Lark
version they were made from (``dbcompat.reading.explain`` builds from the grammar under
another Lark). Run ``python -m tools.lark_tables`` at the repository's root to regenerate.
"""

from __future__ import annotations

from typing import Any

from tools import write_generated

__all__ = ["generated_source", "grammar_digest", "main", "serialized"]


def grammar_digest() -> str:
    """The SHA-256 of every shipped grammar file, in name order: what the tables are made from."""
    import hashlib

    from dbcompat.reading.grammars import grammar_names, grammar_path

    digest = hashlib.sha256()
    for name in grammar_names():
        digest.update(name.encode() + b"\0" + grammar_path(name).read_bytes() + b"\0")
    return digest.hexdigest()


def serialized(grammar: str, start: str) -> dict[str, Any]:
    """The parser of *grammar* from *start*, as plain data that ``Lark.load`` takes back."""
    from dbcompat.reading.explain import serialized as lark_data

    table = lark_data(grammar, start)
    # Nothing of the machine the tables were made on.
    table["data"]["options"]["import_paths"] = []
    table["data"]["options"]["source_path"] = f"<{grammar}.lark>"
    plain: dict[str, Any] = _plain(table)
    return plain


def _plain(value: Any) -> Any:
    """*value* with every enum (the regex flags) as its int and every str subclass as a str:
    a literal Python can read back."""
    import enum

    if isinstance(value, dict):
        return {_plain(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, enum.Enum):
        return int(value.value)
    if isinstance(value, str):
        return str(value)  # a Token is a str: the name it holds is what counts
    return value


def generated_source() -> str:
    """The source ``_lark_tables.py`` should have, from every product's grammars as they are."""
    from importlib import import_module

    import lark

    from dbcompat import PRODUCTS

    lines = [
        '"""LALR tables of the grammars in grammar/*.lark, generated',
        "by `python -m tools.lark_tables`.",
        "",
        "Do not edit: regenerate. A test fails when this file is stale.",
        '"""',
        "",
        "from typing import Any",
        "",
        f"GRAMMAR_DIGEST = {grammar_digest()!r}",
        f"LARK_VERSION = {lark.__version__!r}",
        "",
        "# (grammar, start): what Lark.load takes",
        "TABLES: dict[tuple[str, str], dict[str, Any]] = {",
    ]
    for product in PRODUCTS:
        for entry in import_module(f"dbcompat.{product}.parser").GRAMMARS:
            table = serialized(entry.grammar, entry.start)
            lines.append(f"    ({entry.grammar!r}, {entry.start!r}): {table!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Regenerate ``dbcompat/_lark_tables.py``. Its text differs from run to run (Lark builds
    its tables from sets), its tables do not: the staleness test compares what they say."""
    write_generated("_lark_tables", generated_source())


if __name__ == "__main__":
    main()
