"""The optional compiled accelerator (issue 14): used only where built from this very source, and
answering exactly as the same source run as Python does."""

from __future__ import annotations

import inspect
import os
import sys
import types
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dbcompat import _fast, _reader, ravendb, ydb
from test_generated_matcher import READINGS, dbcompat_fast, public_parse


def fake_accelerator(built_from: int) -> types.ModuleType:
    module = types.ModuleType("dbcompat_fast")
    module.BUILT_FROM = built_from  # type: ignore[attr-defined]
    return module


def this_source() -> int:
    digest = _reader.source_digest()
    assert digest is not None
    return digest


@pytest.mark.skipif(dbcompat_fast is None, reason="the compiled accelerator is not installed")
def test_the_installed_accelerator_is_built_from_this_source():
    assert this_source() == dbcompat_fast.BUILT_FROM, "stale: rebuild it with pip install ./fast"


@pytest.mark.skipif(dbcompat_fast is None, reason="the compiled accelerator is not installed")
@pytest.mark.skipif(bool(os.environ.get("DBCOMPAT_NO_EXTENSIONS")), reason="turned off")
def test_an_installed_accelerator_is_what_readers_use():
    assert _reader.FAST is dbcompat_fast
    assert dbcompat_fast.COMPILED and not _fast.COMPILED
    assert type(dbcompat_fast.fast_path) is not type(_fast.fast_path)  # a C function, not Python


def test_an_accelerator_built_from_this_source_is_used(monkeypatch):
    accelerator = fake_accelerator(this_source())
    monkeypatch.setitem(sys.modules, "dbcompat_fast", accelerator)
    monkeypatch.delenv("DBCOMPAT_NO_EXTENSIONS", raising=False)
    assert _reader._accelerator() is accelerator
    monkeypatch.setenv("DBCOMPAT_NO_EXTENSIONS", "1")
    assert _reader._accelerator() is _fast


def test_a_stale_accelerator_is_not_used_and_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "dbcompat_fast", fake_accelerator(this_source() ^ 1))
    monkeypatch.delenv("DBCOMPAT_NO_EXTENSIONS", raising=False)
    with pytest.warns(
        RuntimeWarning, match="not known to be built from this dbcompat's own source"
    ):
        assert _reader._accelerator() is _fast


def test_an_accelerator_whose_source_cannot_be_read_is_not_used(monkeypatch):
    monkeypatch.setitem(sys.modules, "dbcompat_fast", fake_accelerator(this_source()))
    monkeypatch.delenv("DBCOMPAT_NO_EXTENSIONS", raising=False)
    monkeypatch.setattr(_fast, "__file__", "/nonexistent/dbcompat/_fast.py")  # as in a zip
    with pytest.warns(RuntimeWarning, match="not known to be built"):
        assert _reader._accelerator() is _fast


def test_without_an_accelerator_the_source_runs_as_python(monkeypatch):
    monkeypatch.setitem(sys.modules, "dbcompat_fast", None)  # import raises ImportError
    monkeypatch.delenv("DBCOMPAT_NO_EXTENSIONS", raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _reader._accelerator() is _fast


def answer(parse, value, strict, by_name=False):
    """What *parse* gives for *value*, or the type and message of what it raises."""
    try:
        return parse(text=value, strict=strict) if by_name else parse(value, strict=strict)
    except (TypeError, ValueError) as error:
        return type(error), str(error)


ANYTHING = (
    st.text(max_size=30)
    | st.from_regex(r"\s*(v\.?|stable-)?[0-9]{1,3}([.-][0-9]{1,3}){0,4}(-[a-z]{0,7})?\s*")
    | st.text(alphabet="0123456789.", min_size=250, max_size=300)
    | st.integers()
    | st.none()
    | st.binary(max_size=8)
)


@pytest.mark.parametrize("module", [ydb, ravendb])
@pytest.mark.parametrize("reading", READINGS)
@given(
    value=ANYTHING,
    strict=st.sampled_from([True, False, 1, 0, None, "", "no"]),
    by_name=st.booleans(),
)
def test_the_public_parse_answers_as_it_does_through_the_python_reading(
    module, reading, value, strict, by_name
):
    # Built with either reading, the public function gives the same value or the same error,
    # however it is called.
    expected = answer(public_parse(module, _fast), value, strict, by_name)
    assert answer(public_parse(module, reading), value, strict, by_name) == expected
    assert answer(module.parse, value, strict, by_name) == expected


@pytest.mark.parametrize("module", [ydb, ravendb])
@pytest.mark.parametrize("reading", READINGS)
def test_the_public_parse_takes_its_arguments_as_its_signature_says(module, reading):
    parse = public_parse(module, reading)
    assert list(inspect.signature(parse).parameters) == ["text", "strict"]
    body = module.parse.__wrapped__
    assert parse(text="24.3", strict=1) == body("24.3", strict=True)
    assert parse(text=" 24.3 ", strict=0) == body(" 24.3 ", strict=False)
    with pytest.raises(TypeError):
        parse("24.3", True)  # strict is a keyword
