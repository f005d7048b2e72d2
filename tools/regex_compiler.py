r"""Compile a regular Lark grammar into an equivalent regular expression.

The grammar files stay the single source of truth; this module derives from them the patterns
that read valid versions without Lark (``dbcompat/reading/_patterns.py``, checked in and tested for
staleness) and that other tools use, for example as a JSON Schema ``pattern``.

It walks the grammar as Lark loads it, before Lark expands it for parsing: rules and terminals,
alternatives (``|``), optional parts (``x?``, ``[x]``), repetition (``x*``, ``x+``, ``x~n``,
``x~n..m``), string literals (case-insensitive ones spelled out as ``[aA]`` classes), ranges and
plain regular-expression literals. A rule or terminal that reaches itself makes the language
non-regular, and is refused. Alternatives that share leading items are factored
(``a b | a b c`` becomes ``a b(?:c)?``).

Each product declares its grammars in the ``GRAMMARS`` table of its ``parser`` module; the rules
and terminals captured are the parameters of its builder (``from_parts``). Run
``python -m tools.regex_compiler`` at the repository's root to regenerate
``src/dbcompat/reading/_patterns.py``.

>>> from lark import Lark
>>> lark = Lark('start: NUMBER ("." NUMBER)?\nNUMBER: "0".."9"+', parser="lalr")
>>> grammar_to_regex(lark, "start")
'[0-9]+(?:\\.[0-9]+)?'
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tools import write_generated

if TYPE_CHECKING:
    from lark import Lark, Tree

__all__ = [
    "CompiledGrammar",
    "GrammarNotRegular",
    "compile_grammar",
    "generated_source",
    "grammar_to_regex",
    "render_module",
]

# Characters that mean something in a regular expression, outside a class, in Python and in
# ECMAScript alike (with or without its u flag, which refuses needless escapes such as "\\-").
_SPECIAL = set("\\^$.|?*+()[]{}/")


class GrammarNotRegular(ValueError):
    """The grammar is recursive, or uses a feature this compiler does not translate."""


@dataclass
class _Trie:
    children: dict[str, tuple[Any, _Trie]] = field(default_factory=dict)
    end: bool = False


def grammar_to_regex(lark: Lark, start: str, capture: Collection[str] = ()) -> str:
    """A regular expression matching exactly the language of *lark* from the rule *start*.

    Each occurrence of a rule or terminal named in *capture* becomes a named group: the first
    ``name``, later ones ``name__2``, ``name__3``. Without *capture* the pattern has no groups and
    no Python-only syntax, so ECMAScript (JSON Schema, JavaScript) reads it too. Match it whole:
    ``re.fullmatch``, or anchored as ``^(?:...)$``.
    """
    definitions: dict[str, Tree[Any]] = {name: tree for name, _, tree, _ in lark.grammar.rule_defs}
    definitions.update((name, tree) for name, (tree, _) in lark.grammar.term_defs)
    occurrences: dict[str, int] = {}

    def symbol(name: str, path: tuple[str, ...]) -> str:
        if name in path:
            raise GrammarNotRegular(f"{name!r} reaches itself: {' -> '.join((*path, name))}")
        body = walk(definitions[name], (*path, name))
        if name not in capture:
            return body
        occurrences[name] = occurrences.get(name, 0) + 1
        suffix = "" if occurrences[name] == 1 else f"__{occurrences[name]}"
        return f"(?P<{name}{suffix}>{body})"

    def walk(tree: Any, path: tuple[str, ...]) -> str:
        from lark import Token, Tree
        from lark.grammar import Symbol

        if isinstance(tree, Symbol):
            return symbol(tree.name, path)
        if isinstance(tree, Token):
            raise GrammarNotRegular(f"unexpected token {tree!r} in the grammar")
        assert isinstance(tree, Tree)
        kind, children = tree.data, tree.children
        if kind == "expansions":
            return alternatives(children, path)
        if kind == "expansion":
            return "".join(walk(child, path) for child in children)
        if kind == "value":
            return walk(children[0], path)
        if kind == "maybe":
            return _group(walk(children[0], path)) + "?"
        if kind == "expr":
            return _group(walk(children[0], path)) + _quantifier(children[1:])
        if kind == "literal":
            return _literal(str(children[0]))
        if kind == "range":
            low, high = (_string_value(str(child))[0] for child in children)
            return f"[{_class_char(low)}-{_class_char(high)}]"
        if kind == "alias":
            return walk(children[0], path)
        raise GrammarNotRegular(f"grammar feature {kind!r} is not translated")

    def alternatives(expansions: list[Any], path: tuple[str, ...]) -> str:
        trie = _Trie()
        for expansion in expansions:
            node = trie
            items = expansion.children if expansion.data == "expansion" else [expansion]
            for item in items:
                _, node = node.children.setdefault(repr(item), (item, _Trie()))
            node.end = True
        return emit(trie, path)

    def emit(node: _Trie, path: tuple[str, ...]) -> str:
        branches = [walk(item, path) + emit(child, path) for item, child in node.children.values()]
        if not branches:
            return ""
        if len(branches) == 1 and not node.end:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if node.end else "")

    return symbol(start, ())


def _quantifier(parts: list[Any]) -> str:
    operator = str(parts[0])
    if operator in ("?", "*", "+"):
        return operator
    if operator == "~":
        counts = [str(part) for part in parts[1:]]
        return "{" + ",".join(counts) + "}"
    raise GrammarNotRegular(f"operator {operator!r} is not translated")


def _group(regex: str) -> str:
    """*regex* made safe to quantify: a single character, a class or a group stays as it is."""
    if len(regex) == 1 or (len(regex) == 2 and regex[0] == "\\"):
        return regex
    if regex.startswith("[") and regex.endswith("]") and regex.count("[") == 1:
        return regex
    if regex.startswith("(?") and _closes_at_end(regex):
        return regex
    return f"(?:{regex})"


def _closes_at_end(regex: str) -> bool:
    depth = 0
    for index, char in enumerate(regex):
        if char == "\\":
            continue
        if char == "(" and (index == 0 or regex[index - 1] != "\\"):
            depth += 1
        elif char == ")" and regex[index - 1] != "\\":
            depth -= 1
            if depth == 0 and index != len(regex) - 1:
                return False
    return True


def _literal(text: str) -> str:
    if text.startswith("/"):
        body, _, flags = text[1:].rpartition("/")
        if flags:
            raise GrammarNotRegular(f"regular expression {text} has flags")
        return body
    value, flags = _string_value(text)
    if set(flags) - {"i"}:
        raise GrammarNotRegular(f"string {text} has flags {flags}")
    return "".join(_char(char, "i" in flags) for char in value)


def _string_value(text: str) -> tuple[str, str]:
    """The characters and flags of a Lark string literal: '"ab"i' gives ('ab', 'i')."""
    import ast

    closing = text.rindex('"')
    return ast.literal_eval(text[: closing + 1]), text[closing + 1 :]


def _char(char: str, ignore_case: bool) -> str:
    if ignore_case and char.lower() != char.upper():
        return f"[{char.lower()}{char.upper()}]"
    return "\\" + char if char in _SPECIAL else char


def _class_char(char: str) -> str:
    return "\\" + char if char in "\\]^-[" else char


@dataclass(frozen=True)
class CompiledGrammar:
    """What ``_patterns.py`` records of one grammar: its portable pattern, and the pattern with
    named groups that dbcompat's parser reads, with the rule each group belongs to."""

    grammar: str
    start: str
    pattern: str
    groups_pattern: str
    group_rules: tuple[str, ...]


def _rules_of_groups(pattern: str) -> tuple[str, ...]:
    import re

    # Groups number by the position of their opening parenthesis: so does this list.
    indexed = sorted(re.compile(pattern).groupindex.items(), key=lambda item: item[1])
    return tuple(name.split("__")[0] for name, _ in indexed)


def compile_grammar(grammar: str, start: str, capture: Sequence[str] = ()) -> CompiledGrammar:
    """Compile the shipped grammar *grammar* from *start*, capturing the rules *capture* names."""
    from dbcompat.reading.explain import build_lark

    lark = build_lark(grammar, start)
    groups_pattern = grammar_to_regex(lark, start, capture)
    return CompiledGrammar(
        grammar,
        start,
        grammar_to_regex(lark, start),
        groups_pattern,
        _rules_of_groups(groups_pattern),
    )


def render_module(compiled: Iterable[CompiledGrammar]) -> str:
    """The source of ``dbcompat/reading/_patterns.py`` for these compiled grammars."""
    lines = [
        '"""Regular expressions generated from grammar/*.lark',
        "by `python -m tools.regex_compiler`.",
        "",
        "Do not edit: regenerate. A test fails when this file is stale.",
        '"""',
        "",
        "# (grammar, start): (portable pattern, pattern with named groups, rule of each group)",
        "PATTERNS: dict[tuple[str, str], tuple[str, str, tuple[str, ...]]] = {",
    ]
    for item in compiled:
        lines += [
            f"    ({item.grammar!r}, {item.start!r}): (",
            f"        {item.pattern!r},",
            f"        {item.groups_pattern!r},",
            f"        {item.group_rules!r},",
            "    ),",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def generated_source() -> str:
    """The source ``_patterns.py`` should have, from every product's grammars as they are now."""
    from importlib import import_module

    from dbcompat import PRODUCTS
    from dbcompat.reading.reader import captured

    grammars = [
        grammar
        for product in PRODUCTS
        for grammar in import_module(f"dbcompat.{product}.parser").GRAMMARS
    ]
    return render_module(compile_grammar(g.grammar, g.start, captured(g.build)) for g in grammars)


def main() -> None:
    """Regenerate ``dbcompat/reading/_patterns.py``."""
    write_generated("_patterns", generated_source())


if __name__ == "__main__":
    main()
