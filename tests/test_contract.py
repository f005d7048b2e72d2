"""The contract every product keeps, run for each product in ``dbcompat.PRODUCTS``.

A new product gets these tests by being listed there and by adding its entry to ``CONTRACTS``
below (see docs/adding-a-product.md); the first test fails until it has one.
"""

from __future__ import annotations

import copy
import functools
import itertools
import operator
import pickle
from importlib import import_module
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import dbcompat
from dbcompat import InvalidVersion, Rule
from dbcompat.reading._patterns import PATTERNS
from dbcompat.reading.explain import build_lark
from dbcompat.reading.reader import Reader, captured


class Contract(NamedTuple):
    """What the suite needs to know of a product: its own test data, nothing of its code."""

    ordered: list[str]  # canonical spellings, smallest first, each a different version
    invalid: list[tuple[str, int]]  # text the strictest grammar refuses, and the column
    versions: st.SearchStrategy  # Version objects built with the constructor
    pickled: dict[bytes, str]  # pickles of the by-field format, and what they hold


def _ydb_versions():
    from dbcompat.ydb import ReleaseType, Version

    number = st.integers(0, 10**6)
    number_of_candidate = st.integers(0, 99)
    hex_commits = st.text("0123456789abcdef", min_size=7, max_size=40)
    commits = st.none() | hex_commits

    @st.composite
    def build(draw):
        year, major = draw(st.integers(0, 99)), draw(number)
        kind = draw(
            st.sampled_from(
                ["plain", "typed", "candidate", "enterprise", "hotfix", "built", "node"]
            )
        )
        minor = (
            draw(st.none() | number) if kind in ("plain", "typed", "candidate") else draw(number)
        )
        patch = draw(st.none() | number) if minor is not None else None
        if kind == "enterprise":
            return Version(year, major, minor, draw(number), enterprise=True)
        if kind == "hotfix":
            return Version(year, major, minor, patch, hotfix=draw(number), commit=draw(commits))
        if kind == "node":
            patch = draw(number)
            commit = draw(hex_commits)
            shape = draw(st.sampled_from(["rebuild", "candidate", "hotfix_branch"]))
            if shape == "rebuild":
                letter = draw(st.characters(min_codepoint=ord("a"), max_codepoint=ord("z")))
                return Version(year, major, minor, patch, rebuild=letter, commit=commit)
            if shape == "candidate":
                own = draw(st.none() | number_of_candidate)
                return Version(
                    year,
                    major,
                    minor,
                    patch,
                    release_candidate=True,
                    candidate_number=own,
                    commit=commit,
                )
            letters = "abcdefghijklmnopqrstuvwxyz"
            branch = draw(st.sampled_from(letters)) + draw(
                st.text(letters + "0123456789", max_size=12)
            )
            return Version(
                year, major, minor, patch, hotfix=draw(number), hotfix_branch=branch, commit=commit
            )
        if kind == "built":
            return Version(year, major, minor, patch, commit=draw(commits))
        if kind == "candidate":
            own = draw(st.none() | number_of_candidate)
            return Version(year, major, minor, patch, release_candidate=True, candidate_number=own)
        release_type = draw(st.sampled_from(ReleaseType)) if kind == "typed" else None
        return Version(year, major, minor, patch, release_type)

    return build()


def _ravendb_versions():
    from dbcompat.ravendb import Stage, Version

    number = st.integers(0, 10**6)

    @st.composite
    def build(draw):
        major, minor = draw(number), draw(number)
        patch = draw(st.none() | number)
        build_number = draw(st.none() | number) if patch is not None else None
        stage = draw(st.none() | st.sampled_from(Stage))
        options = {}
        if stage in (Stage.ALPHA, Stage.BETA, Stage.RC):
            options["stage_number"] = draw(st.none() | number)
            options["stage_build"] = draw(st.none() | number)
        elif stage is Stage.PATCH:
            options["stage_build"] = draw(number)
        elif stage is Stage.NIGHTLY:
            stamp = draw(st.integers(0, 10**12 - 1))
            options["nightly"] = f"{stamp // 10000:08d}-{stamp % 10000:04d}"
        return Version(major, minor, patch, build_number, stage=stage, **options)

    return build()


CONTRACTS = {
    "ydb": Contract(
        ordered=[
            "24.3",
            "24.3-testing",
            "24.3-lts",
            "24.3.0",
            "24.3.0.0-rc",
            "24.3.0.0-rc1",
            "24.3.0.0-rc2",
            "24.3.0.0-rc10",
            "24.3.0.0rc10.08bebbe",
            "24.3.0.0",
            "24.3.0.ent.0",
            "24.3.0.0-testing",
            "24.3.0.0-stable",
            "24.3.0.0-lts",
            "24.3.0.1",
            "24.3.0.1.0abcdef",
            "24.3.0.1.fedcba9",
            "24.3.0.1a.08bebbe",
            "24.3.0.1z.08bebbe",
            "stable-24-3-0-1-hotfix",
            "stable-24-3-0-1-hotfix.08bebbe",
            "stable-24-3-0-1-hotfix-2",
            "24.3.0.1-hotfixblobstorage-2.08bebbe",
            "24.3.9",
            "24.3.10",
            "24.9",
            "24.10",
            "25.1",
        ],
        invalid=[
            ("24.3-LTS", 6),
            ("", 1),
            ("2.3", 1),
            ("24.3.", 6),
            ("24.3 ", 5),
            ("٢٤.٣", 1),
            ("24.3\x00", 5),
        ],
        versions=_ydb_versions(),
        pickled={
            # Fields by name, as dbcompat pickles them, from before the fields added since.
            b"\x80\x02cdbcompat._value\n_rebuild\nq\x00cdbcompat.ydb.version\nVersion\nq\x01}q"
            b"\x02(X\x04\x00\x00\x00yearq\x03K\x17X\x05\x00\x00\x00majorq\x04K\x01X\x05\x00\x00"
            b"\x00minorq\x05K\x01X\x05\x00\x00\x00patchq\x06NX\x06\x00\x00\x00hotfixq\x07K\x07X"
            b"\x11\x00\x00\x00release_candidateq\x08\x89X\x0c\x00\x00\x00release_typeq\tNX\n\x00"
            b"\x00\x00enterpriseq\n\x89u\x86q\x0bRq\x0c.": "stable-23-1-1-hotfix-7",
        },
    ),
    "ravendb": Contract(
        ordered=[
            "4.0",
            "4.0.0-nightly-20170101-0000",
            "4.0.0-alpha-40005",
            "4.0.0-alpha-40013",
            "4.0.0-beta-40014",
            "4.0.0-rc2",
            "4.0.0-rc3",
            "4.0.0",
            "4.0.0.2",
            "4.0.1",
            "4.1.3-patch-41005",
            "4.1.3-Hotfix",
            "4.1.3",
            "4.1.9.41023",
            "5.2.6",
            "5.2.106",
            "6.0",
        ],
        invalid=[("", 1), ("5", 2), ("5.4-", 5), ("v5.4", 1), ("5.2.0b1", 6), ("٥.٤", 1)],
        versions=_ravendb_versions(),
        pickled={
            b"\x80\x02cdbcompat._value\n_rebuild\nq\x00cdbcompat.ravendb.version\nVersion\nq\x01}"
            b"q\x02(X\x05\x00\x00\x00majorq\x03K\x04X\x05\x00\x00\x00minorq\x04K\x01X\x05\x00\x00"
            b"\x00patchq\x05K\x00X\x05\x00\x00\x00buildq\x06NX\x05\x00\x00\x00stageq\x07cdbcompat"
            b".ravendb.version\nStage\nq\x08X\x02\x00\x00\x00rcq\t\x85q\nRq\x0bX\x0c\x00\x00\x00"
            b"stage_numberq\x0cNX\x0b\x00\x00\x00stage_buildq\rM(\xa0X\x07\x00\x00\x00nightlyq"
            b"\x0eNu\x86q\x0fRq\x10.": "4.1.0-rc-41000",
        },
    ),
}

PRODUCTS = dbcompat.PRODUCTS


def product(name):
    return import_module(f"dbcompat.{name}")


def read(name, text):
    """*text* read in every spelling the product knows: its most lenient grammar."""
    return product(name).as_version(text)


def test_every_listed_product_has_contract_data():
    assert set(CONTRACTS) == set(PRODUCTS)


@pytest.mark.parametrize("name", PRODUCTS)
def test_every_product_has_the_same_face(name):
    module = product(name)
    for export in ("PRODUCT", "RULES", "Version", "as_version", "parse"):
        assert export in module.__all__ and hasattr(module, export), export
    for export in module.__all__:
        assert getattr(module, export) is not None
    assert isinstance(module.PRODUCT, str) and module.PRODUCT
    assert all(isinstance(rule, Rule) and rule.id == key for key, rule in module.RULES.items())
    parser = import_module(f"dbcompat.{name}.parser")
    assert parser.GRAMMARS and all(g.grammar in dbcompat.grammar_names() for g in parser.GRAMMARS)
    assert hasattr(module.Version(*[0] * 2), "line")
    for part in ("version", "parser", "rules"):
        import_module(f"dbcompat.{name}.{part}")
    assert callable(import_module(f"dbcompat.cli.{name}").register)
    assert {(g.grammar, g.start) for g in parser.GRAMMARS} <= set(PATTERNS)
    assert parser.from_parts is parser.GRAMMARS[-1].build  # the builder of every spelling


@pytest.mark.parametrize("name", PRODUCTS)
def test_canonical_strings_round_trip(name):
    for text in CONTRACTS[name].ordered:
        version = read(name, text)
        assert str(version) == text
        assert read(name, str(version)) == version
        assert product(name).as_version(version) is version


@pytest.mark.parametrize("name", PRODUCTS)
@pytest.mark.parametrize("value", [None, 24.3, b"24.3", ["24.3"], 243, bytearray(b"5.4")])
def test_non_strings_raise_type_error(name, value):
    with pytest.raises(TypeError):
        product(name).parse(value)
    with pytest.raises(TypeError):
        product(name).as_version(value)


@pytest.mark.parametrize("name", PRODUCTS)
def test_the_length_limit_is_shared(name):
    limit = dbcompat.MAX_VERSION_LENGTH
    with pytest.raises(InvalidVersion, match=f"{limit}-character limit") as caught:
        product(name).parse("24." + "9" * limit)
    assert len(str(caught.value)) < 300
    assert caught.value.product == product(name).PRODUCT
    digits = "9" * (limit - 3)
    assert product(name).parse("24." + digits).line == (24, int(digits))


@pytest.mark.parametrize("name", PRODUCTS)
def test_errors_name_the_input_and_the_column(name):
    for text, column in CONTRACTS[name].invalid:
        with pytest.raises(InvalidVersion) as caught:
            product(name).parse(text)
        error = caught.value
        assert isinstance(error, ValueError)
        assert (error.text, error.column) == (text, column), text
        assert repr(text) in str(error) and f"column {column}" in str(error)
        assert product(name).PRODUCT in str(error)


@pytest.mark.parametrize("name", PRODUCTS)
def test_versions_are_immutable(name):
    version = read(name, CONTRACTS[name].ordered[-1])
    for field in (*version._fields, "line", "_key", "anything"):
        with pytest.raises(AttributeError):
            setattr(version, field, 1)
        with pytest.raises(AttributeError):
            delattr(version, field)
    assert str(version) == CONTRACTS[name].ordered[-1]


@pytest.mark.parametrize("name", PRODUCTS)
def test_versions_are_hashable_values(name):
    texts = CONTRACTS[name].ordered
    table = {read(name, text): text for text in texts}
    assert [table[read(name, text)] for text in texts] == texts
    for text in texts:
        version = read(name, text)
        assert copy.deepcopy(version) == version and copy.copy(version) == version
        assert repr(version) == f"<Version({text!r})>"


@pytest.mark.parametrize("name", PRODUCTS)
def test_pickles_carry_fields_not_keys_and_outlive_releases(name):
    for text in CONTRACTS[name].ordered:
        version = read(name, text)
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            data = pickle.dumps(version, protocol)
            assert b"_from_key" not in data
            assert pickle.loads(data) == version
    for data, text in CONTRACTS[name].pickled.items():
        assert pickle.loads(data) == read(name, text)


OPERATORS = [operator.lt, operator.le, operator.eq, operator.ne, operator.ge, operator.gt]


@pytest.mark.parametrize("name", PRODUCTS)
def test_hand_ordered_versions_under_all_six_operators(name):
    versions = [read(name, text) for text in CONTRACTS[name].ordered]
    for (i, a), (j, b) in itertools.product(enumerate(versions), repeat=2):
        for compare in OPERATORS:
            assert compare(a, b) is compare(i, j), (compare.__name__, str(a), str(b))


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(PRODUCTS, 2)))
def test_versions_of_different_products_never_compare(first, second):
    a, b = product(first).parse("24.3"), product(second).parse("24.3")
    assert (a == b) is False and a != b
    for compare in (operator.lt, operator.le, operator.ge, operator.gt):
        with pytest.raises(TypeError):
            compare(a, b)


@functools.cache
def reader_of(name, grammar):
    return Reader(grammar, product(name).PRODUCT)


def lenient_reader(name):
    """A reader of the product's most lenient grammar, the last of its GRAMMARS table."""
    return reader_of(name, import_module(f"dbcompat.{name}.parser").GRAMMARS[-1])


@pytest.mark.parametrize("name", PRODUCTS)
@given(data=st.data())
def test_the_constructor_and_both_readers_agree_on_the_key(name, data):
    version = data.draw(CONTRACTS[name].versions)
    text = str(version)
    reader = lenient_reader(name)
    assert reader.match(text)._key == version._key
    assert reader.parse_with_lark(text)._key == version._key
    assert read(name, text)._key == version._key
    # Every field reads back from the key as the constructor was given it.
    assert type(version)(**version.fields())._key == version._key


def all_grammars():
    return [
        (name, grammar)
        for name in PRODUCTS
        for grammar in import_module(f"dbcompat.{name}.parser").GRAMMARS
    ]


@pytest.mark.parametrize(
    ("name", "grammar"), all_grammars(), ids=lambda g: getattr(g, "grammar", g)
)
def test_the_generated_groups_are_what_the_builder_takes(name, grammar):
    _, _, group_rules = PATTERNS[(grammar.grammar, grammar.start)]
    assert set(group_rules) <= set(captured(grammar.build))
    # The builder takes what the product's most lenient grammar names, and nothing more.
    lenient = import_module(f"dbcompat.{name}.parser").GRAMMARS[-1]
    if grammar is lenient:
        assert set(group_rules) == set(captured(grammar.build))


@functools.cache
def strings_of(grammar):
    """The strings of *grammar* short enough to read: made once, since hypothesis takes a
    strategy built anew at each draw for a new one, at tens of milliseconds each."""
    strings = from_lark(build_lark(grammar.grammar, grammar.start), start=grammar.start)
    return strings.filter(lambda s: len(s) <= dbcompat.MAX_VERSION_LENGTH)


@pytest.mark.parametrize(
    ("name", "grammar"), all_grammars(), ids=lambda g: getattr(g, "grammar", g)
)
@given(data=st.data())
def test_the_regex_and_lark_hand_the_builder_the_same_values(name, grammar, data):
    text = data.draw(strings_of(grammar))
    reader = reader_of(name, grammar)
    transformers = import_module(grammar.transformer.rpartition(".")[0])
    calls = []

    def recording(**parts):
        calls.append(parts)
        return grammar.build(**parts)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transformers, grammar.build.__name__, recording)
        reader.parse_with_lark(text)
    assert calls == [reader.parts(text)]


@pytest.mark.parametrize("name", PRODUCTS)
def test_versions_do_not_compare_with_other_types(name):
    version = product(name).parse("24.3")
    for other in ("24.3", (24, 3), 24.3, None):
        assert (version == other) is False and version != other
        with pytest.raises(TypeError):
            _ = version < other
        with pytest.raises(TypeError):
            _ = version >= other


@pytest.mark.parametrize(
    ("name", "grammar"), all_grammars(), ids=lambda g: getattr(g, "grammar", g)
)
@given(data=st.data())
def test_every_string_of_every_grammar_reads_and_prints_back_as_itself(name, grammar, data):
    text = data.draw(strings_of(grammar))
    version = reader_of(name, grammar).parse(text)
    if version is None:  # a development build, which has no version
        return
    assert read(name, str(version)) == version
    assert str(read(name, str(version))) == str(version)


@pytest.mark.parametrize(
    ("name", "grammar"), all_grammars(), ids=lambda g: getattr(g, "grammar", g)
)
@given(text=st.text(max_size=40))
def test_random_text_raises_nothing_but_invalid_version(name, grammar, text):
    try:
        version = reader_of(name, grammar).parse(text)
    except InvalidVersion as error:
        assert error.column is None or 1 <= error.column <= len(text) + 1
        assert error.product == product(name).PRODUCT
    else:
        assert version is None or str(version)
