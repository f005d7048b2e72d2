"""Why a grammar refuses a text, from Lark's LALR tables but without Lark, whose import costs
more than the rest of a command.

The tables are those ``_lark_tables.py`` holds for ``Lark.load``. This module does with them
what Lark's contextual lexer and LALR parser do, as far as an error needs: where the text goes
wrong, what stands there, and every terminal the grammar would take instead. The tests prove it
explains every text as Lark does; where it finds no error, Lark reads the text.

>>> refusal = tables("ydb_version", "valid_version").refusal("24.3 ")
>>> refusal.column, refusal.found, refusal.expected
(5, "' '", "one of '-', '.', end of input")
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

__all__ = ["Refusal", "Tables", "describe", "tables"]

END = "$END"
SHIFT = 0


class Refusal(NamedTuple):
    """Where and why a grammar refuses a text: the 1-based column, what stands there (quoted,
    or ``end of input``), and what the grammar expected there, as a person reads it."""

    column: int
    found: str
    expected: str


class _Terminal(NamedTuple):
    name: str
    regex: str  # with its flags
    value: str  # as the grammar wrote it: the text of a literal, a pattern without its flags
    literal: bool
    flags: frozenset[str]
    order: tuple[int, int, int, str]  # the order Lark's lexer tries terminals in


class _Token(NamedTuple):
    type: str
    value: str
    start: int


class _Stuck(Exception):
    """The lexer or the parser stopped: at *position*, on *found*, with Lark's own *expected*."""

    def __init__(self, position: int, found: str, expected: Iterable[str]) -> None:
        super().__init__(position)
        self.position, self.found, self.expected = position, found, set(expected)


class _Scanner:
    """Lark's lexer over some terminals: the first that matches, in Lark's order, skipping the
    ignored ones; a literal that a pattern also matches is read as the pattern, then retyped."""

    def __init__(self, terminals: Iterable[_Terminal], ignore: set[str]) -> None:
        ordered = sorted(terminals, key=lambda terminal: terminal.order)
        embedded: set[str] = set()
        self._retype: dict[str, re.Pattern[str]] = {}
        for pattern in (t for t in ordered if not t.literal):
            same = [
                literal
                for literal in ordered
                if literal.literal
                and literal.order[0] == pattern.order[0]
                and _whole_match(pattern.regex, literal.value)
            ]
            if same:
                self._retype[pattern.name] = _alternation(same)
                embedded.update(t.name for t in same if t.flags <= pattern.flags)
        kept = [t for t in ordered if t.name not in embedded]
        self._ignore = ignore
        self.allowed = {t.name for t in kept} - ignore or {"<END-OF-FILE>"}
        self._regex = _alternation(kept)

    def next_token(self, text: str, position: int) -> _Token | None:
        """The token at *position*; None at the end; _Stuck where no terminal matches."""
        while position < len(text):
            match = self._regex.match(text, position)
            if match is None:
                raise _Stuck(position, repr(text[position]), self.allowed)
            kind, value = match.lastgroup or "", match.group(0)
            if kind not in self._ignore:
                retype = self._retype.get(kind)
                retyped = retype.fullmatch(value) if retype is not None else None
                return _Token(retyped.lastgroup or kind if retyped else kind, value, position)
            position += len(value)
        return None


def _whole_match(regex: str, text: str) -> bool:
    found = re.match(regex, text, re.ASCII)
    return found is not None and found.group(0) == text


def _alternation(terminals: list[_Terminal]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{t.name}>{t.regex})" for t in terminals) or "(?!)", re.ASCII)


class Tables:
    """One grammar's LALR tables, from the data ``Lark.load`` takes."""

    def __init__(self, table: dict[str, Any]) -> None:
        memo, data = table["memo"], table["data"]
        frontend = data["parser"]
        parser = frontend["parser"]
        names = parser["tokens"]
        self._rules = {
            index: (entry["origin"]["name"], len(entry["expansion"]))
            for index, entry in memo.items()
            if entry.get("__type__") == "Rule"
        }
        self.states: dict[int, dict[str, tuple[int, Any]]] = {
            state: {
                names[token]: (action, arg if action == SHIFT else arg["@"])
                for token, (action, arg) in actions.items()
            }
            for state, actions in parser["states"].items()
        }
        (start,) = data["options"]["start"]
        self.start, self.end = parser["start_states"][start], parser["end_states"][start]
        self.terminals = {
            terminal.name: terminal
            for terminal in map(
                _terminal, (memo[ref["@"]] for ref in frontend["lexer_conf"]["terminals"])
            )
        }
        self._ignore = set(frontend["lexer_conf"]["ignore"])
        self._root = _Scanner(self.terminals.values(), self._ignore)

    @functools.cache  # noqa: B019 (one instance per grammar, kept for good)
    def _scanner(self, state: int) -> _Scanner:
        accepts = self.states[state].keys() | self._ignore
        return _Scanner(
            (self.terminals[name] for name in accepts if name in self.terminals), self._ignore
        )

    def _feed(self, stack: list[int], kind: str) -> None:
        """*stack* after the parser takes a token of *kind*; _Stuck (at no position) if not."""
        while True:
            action = self.states[stack[-1]].get(kind)
            if action is None:
                raise _Stuck(-1, "", {name for name in self.states[stack[-1]] if name.isupper()})
            verb, argument = action
            if verb == SHIFT:
                stack.append(argument)
                return
            origin, size = self._rules[argument]
            if size:
                del stack[-size:]
            stack.append(self.states[stack[-1]][origin][1])
            if kind == END and stack[-1] == self.end:
                return

    def _tokens(self, text: str, stack: list[int]) -> None:
        """Feeds the tokens of *text* to the parser at *stack*, as Lark's contextual lexer reads
        them: each with the terminals its state accepts."""
        position = 0
        while True:
            try:
                token = self._scanner(stack[-1]).next_token(text, position)
            except _Stuck as stuck:
                # Lark then asks every terminal, to say what stands there.
                try:
                    token = self._root.next_token(text, position)
                except _Stuck:
                    raise stuck from None
                assert token is not None
                raise _Stuck(token.start, repr(token.value), stuck.expected) from None
            if token is None:
                return
            try:
                self._feed(stack, token.type)
            except _Stuck as stuck:
                raise _Stuck(token.start, repr(token.value), stuck.expected) from None
            position = token.start + len(token.value)

    def refusal(self, text: str) -> Refusal | None:
        """Where and why the grammar refuses *text*; None where it takes it."""
        stack = [self.start]
        try:
            self._tokens(text, stack)
            try:
                self._feed(stack, END)
            except _Stuck as stuck:
                raise _Stuck(len(text), "end of input", stuck.expected) from None
        except _Stuck as stuck:
            # Lark's own sets miss what is taken after a reduction (the end of input, often):
            # the parser, fed the text before the error, knows all of it.
            expected = self._accepted_after(text[: stuck.position]) or stuck.expected
            return Refusal(stuck.position + 1, stuck.found, self.describe(expected))
        return None

    def _accepted_after(self, prefix: str) -> set[str]:
        stack = [self.start]
        try:
            self._tokens(prefix, stack)
        except _Stuck:
            return set()
        accepted = set()
        for name in self.states[stack[-1]].keys() & (self.terminals.keys() | {END}):
            try:
                self._feed(list(stack), name)
            except _Stuck:
                continue
            accepted.add(name)
        return accepted

    def describe(self, names: Iterable[str]) -> str:
        """Terminals as a person reads them: ``one of '-', '.', end of input``."""
        descriptions = sorted({describe(name, self.terminals.get(name)) for name in names})
        if len(descriptions) == 1:
            return descriptions[0]
        return "one of " + ", ".join(descriptions)


def _terminal(entry: dict[str, Any]) -> _Terminal:
    pattern = entry["pattern"]
    literal = pattern["__type__"] == "PatternStr"
    value = pattern["value"]
    regex = re.escape(value) if literal else value
    for flag in pattern["flags"]:
        regex = f"(?{flag}:{regex})"
    width = len(value) if literal else pattern["_width"][1]
    order = (-entry["priority"], -width, -len(value), entry["name"])
    return _Terminal(entry["name"], regex, value, literal, frozenset(pattern["flags"]), order)


def describe(name: str, terminal: _Terminal | None) -> str:
    """A terminal as a person reads it: a literal quoted, a pattern of plain words by its words,
    another pattern by its name in the grammar."""
    if name == END or terminal is None:
        return "end of input"
    if terminal.literal:
        return repr(terminal.value)
    words = _literal_alternatives(terminal.value)
    if words:
        return ", ".join(map(repr, sorted(words)))
    # Imported terminals carry their grammar's name as a prefix: ydb_version__DIGITS.
    return name.rpartition("__")[2].lower().strip("_").replace("_", " ")


def _literal_alternatives(regex: str) -> list[str]:
    """The words a pattern of plain alternatives spells (``(?:v\\.|v)``: ``v.``, ``v``); none
    where it is more than words, as ``[0-9]+`` is."""
    body = regex[3:-1] if regex.startswith("(?:") and regex.endswith(")") else regex
    words = []
    for alternative in body.split("|"):
        # A case-insensitive literal comes as (?i:word).
        alternative = re.sub(r"^\(\?i:(.*)\)$", r"\1", alternative)
        if not re.fullmatch(r"(?:[^\\\[\](){}*+?^$.|]|\\.)+", alternative):
            return []
        words.append(re.sub(r"\\(.)", r"\1", alternative))
    return words


@functools.cache
def tables(grammar: str, start: str) -> Tables:
    """The LALR tables of the shipped grammar *grammar* from the rule *start*."""
    from ._lark_tables import TABLES

    return Tables(TABLES[(grammar, start)])
