"""What the products' Lark transformers share: the method of a rule of one token, which gives
the rule's name and the token's text, and the method of a rule of several parts, which gives them
all by name. A start rule hands the parts to the product's builder. Only a text the regular
expression refuses brings this module, and Lark, in.

>>> from lark import Lark, Transformer
>>> class Pair(Transformer):
...     major = minor = token
...     start = group
>>> Pair().transform(Lark('start: major "." minor\\nmajor: /[0-9]+/\\nminor: /[0-9]+/',
...                       parser="lalr").parse("5.4"))
{'major': '5', 'minor': '4'}
"""

from __future__ import annotations

from typing import Any

from lark import Tree, v_args

__all__ = ["group", "parts", "token"]


def parts(children: list[Any]) -> dict[str, str]:
    """The parts of a rule's *children*, by name: the parts of the rules below it, and its named
    terminals (a Lark token is a str with a ``type``). Anonymous literals are not in the tree.

    >>> from lark import Token
    >>> parts([("year", "24"), {"major": "3"}, Token("CANDIDATE", "rc")])
    {'year': '24', 'major': '3', 'CANDIDATE': 'rc'}
    """
    found: dict[str, str] = {}
    for child in children:
        if isinstance(child, dict):
            found.update(child)
        elif isinstance(child, tuple):
            name, text = child
            found[name] = text
        else:
            found[child.type] = str(child)
    return found


def group(_: object, children: list[Any]) -> dict[str, str]:
    """The method of a rule of several parts: its parts, by name."""
    return parts(children)


@v_args(tree=True)
def token(_: object, tree: Tree[Any]) -> tuple[str, str]:
    """The method of a rule of one token (``major: NUMBER``): the rule's name, from the tree,
    and the token's text."""
    return (str(tree.data), str(tree.children[0]))
