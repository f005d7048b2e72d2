"""The documentation runs: every example in README.md and docs/ gives what it shows, and so do the
examples in every docstring.

A page is read as its fenced blocks, in order, in a fresh temporary folder of its own:

- ```python blocks are doctests (``>>>``), sharing their names through the page;
- ```console blocks are command lines: each ``$ dbcompat ...`` runs in this process through
  ``dbcompat.cli.main`` (``< FILE`` feeds its standard input), its standard output and error
  together compared with the lines under it (``...`` matches anything); with ``--json`` its
  document must be valid against the schema of its kind. ``$ git ...`` runs git, to set up a
  repository for ``dbcompat scan --against``;
- a block whose info string says ``file=PATH`` (```yaml file=k8s/storage.yaml) is written to that
  path before what follows it runs;
- a ```mermaid block ends with ``%% $ dbcompat ...``: the picture is what that command prints;
- ```yaml and ```json blocks parse;
- ```sh blocks do not run: each of their lines needs what a test cannot have (a server, a
  cluster, a container, an installation; see ``NOT_RUN``), and a ```text block may follow one
  to show what it printed.

Any other block fails the test, as does a ``>>>`` outside a python block: nothing is skipped
silently. Links must point to files in the repository, and nothing may name a path outside it.
"""

from __future__ import annotations

import doctest
import importlib
import io
import json
import os
import pkgutil
import re
import shlex
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

import dbcompat
from dbcompat.cli import main
from tests.helpers import ROOT, assert_valid_json

README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").rglob("*.md"))]
FLAGS = doctest.ELLIPSIS

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(dbcompat.__path__, "dbcompat.")
    if not info.name.endswith("__main__")
)

FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)

# What a line of a ```sh block must need for it not to run in the tests.
NOT_RUN = re.compile(
    r"pip install|pytest|kubectl|docker |https?://|\bprobe\b|dbcompat webhook|dot -T"
    r"|python (?:benchmarks|scripts|tools)/"
)


def page_id(page):
    return str(page.relative_to(ROOT))


class Block:
    """One fenced block of a page: its language, its options (``file=PATH``), text and line."""

    def __init__(self, page, text, match):
        words = match["info"].split()
        self.kind = words[0] if words else ""
        self.options = dict(word.split("=", 1) for word in words[1:] if "=" in word)
        self.body = match["body"]
        self.line = text.count("\n", 0, match.start()) + 1
        self.where = f"{page_id(page)}, line {self.line}"


def blocks_of(page):
    text = page.read_text(encoding="utf-8")
    return [Block(page, text, match) for match in FENCE.finditer(text)]


def commands_of(block):
    """The ``$ `` lines of a console block, each with the lines shown under it."""
    commands = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            assert commands, f"{block.where}: output before any command"
            commands[-1][1].append(line)
    return [(command, "".join(f"{line}\n" for line in shown)) for command, shown in commands]


class _Both(io.StringIO):
    """Standard output kept apart, and also written to what a terminal would show."""

    def __init__(self, screen):
        super().__init__()
        self.screen = screen

    def write(self, text):
        self.screen.write(text)
        return super().write(text)


def run_dbcompat(words):
    """Run ``dbcompat WORDS`` here; its exit status, what a terminal shows, and its stdout."""
    stdin = sys.stdin
    if "<" in words:
        at = words.index("<")
        stdin = open(words[at + 1], encoding="utf-8")  # noqa: SIM115 (closed below)
        words = words[:at] + words[at + 2 :]
    screen = io.StringIO()
    out = _Both(screen)
    saved = sys.stdin
    sys.stdin = stdin
    try:
        with redirect_stdout(out), redirect_stderr(screen):
            status = main(words[1:])
    finally:
        sys.stdin = saved
        if stdin is not saved:
            stdin.close()
    return status, screen.getvalue(), out.getvalue()


def run_git(words):
    done = subprocess.run(words, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


CHECKER = doctest.OutputChecker()


def check_output(where, command, shown, got):
    if not CHECKER.check_output(shown, got, FLAGS):
        pytest.fail(f"{where}: $ {command}\n--- shown\n{shown}--- got\n{got}", pytrace=False)


def run_console(block):
    for command, shown in commands_of(block):
        words = shlex.split(command)
        if words[0] == "git":
            got = run_git(words)
        elif words[0] == "dbcompat":
            _, got, out = run_dbcompat(words)
            as_json = "--format" in words and words[words.index("--format") + 1] == "json"
            if as_json or "--json" in words:
                assert_valid_json(out)
        else:
            pytest.fail(f"{block.where}: only dbcompat and git run here, not {words[0]}")
        check_output(block.where, command, shown, got)


def run_mermaid(block):
    *picture, last = block.body.splitlines()
    assert last.startswith("%% $ dbcompat "), f"{block.where}: say which command draws it"
    _, got, _ = run_dbcompat(shlex.split(last[len("%% $ ") :]))
    check_output(block.where, last[3:], "".join(f"{line}\n" for line in picture), got)


def write_file(block):
    path = Path(block.options["file"])
    assert not path.is_absolute() and ".." not in path.parts, block.where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(block.body, encoding="utf-8")


class Doctests:
    """The python blocks of one page, run as one doctest file would run them."""

    def __init__(self, page):
        self.page = page
        self.globs = {"__name__": page.stem}
        self.runner = doctest.DocTestRunner(optionflags=FLAGS)
        self.report = io.StringIO()

    def run(self, block):
        assert ">>>" in block.body, f"{block.where}: a python block must be a doctest"
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.body, self.globs, block.where, str(self.page), block.line)
        self.runner.run(test, out=self.report.write, clear_globs=False)
        self.globs = test.globs  # a DocTest runs on a copy: the next block sees what this made

    def check(self):
        if self.runner.failures:
            pytest.fail(self.report.getvalue(), pytrace=False)


def run_page(page):
    """Run every example of *page*, in order; the number of examples run."""
    doctests = Doctests(page)
    count = 0
    previous = None
    for block in blocks_of(page):
        if "file" in block.options:
            write_file(block)
            if block.kind in ("yaml", "json"):
                assert list(yaml.safe_load_all(block.body)), block.where
        elif block.kind == "python":
            doctests.run(block)
        elif block.kind == "console":
            run_console(block)
            count += len(commands_of(block))
        elif block.kind == "mermaid":
            run_mermaid(block)
            count += 1
        elif block.kind == "yaml":
            assert list(yaml.safe_load_all(block.body)), block.where
        elif block.kind == "json":
            json.loads(block.body)
        elif block.kind == "sh":
            for line in block.body.splitlines():
                code = line.split(" #", 1)[0].strip()
                assert not code or code.startswith("#") or NOT_RUN.search(code), (
                    f"{block.where}: {line!r} could run in the tests: show it in a console block"
                )
        elif block.kind == "text":
            assert previous is not None and previous.kind == "sh", (
                f"{block.where}: a text block shows only what the sh block before it printed"
            )
        else:
            pytest.fail(f"{block.where}: a block of unknown kind {block.kind!r}", pytrace=False)
        previous = block
    doctests.check()
    return count + doctests.runner.tries


@pytest.fixture
def git_alone(monkeypatch):
    """Git that reads no configuration of this machine, with an author for commits."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Docs")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "docs@example.com")


# Pages that only lead to others, and one another engineer is rewriting.
NO_EXAMPLES = {"docs/index.md", "docs/adding-a-product.md"}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_examples(page, tmp_path, monkeypatch, git_alone):
    monkeypatch.chdir(tmp_path)
    text = page.read_text(encoding="utf-8")
    outside = FENCE.sub("", text)
    assert ">>>" not in outside, f"{page_id(page)}: a doctest outside a python block"
    assert "```" not in outside, f"{page_id(page)}: a fence this test cannot read"
    count = run_page(page)
    assert count > 0 or page_id(page) in NO_EXAMPLES, f"{page_id(page)} runs no example"


# Links point into the repository; no path of some machine, no file beside the repository.
OUTSIDE = re.compile(
    r"~/|(?<![\w.:/])/(?:work|home|Users|root|tmp|var|opt|mnt|dev)/|(?<![\w-])shared/"
)
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
REPO_PATH = re.compile(
    r"`(?P<path>(?:src|grammar|tests|benchmarks|scripts|tools|deploy|docs|\.ci)/[\w./-]*\.\w+)`"
)


def anchors(page):
    """The anchors GitHub gives the headings of *page*."""
    headings = re.findall(r"^#+ (.*)$", FENCE.sub("", page.read_text(encoding="utf-8")), re.M)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_nothing_outside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    assert not OUTSIDE.search(text), OUTSIDE.search(text)
    for match in LINK.finditer(text):
        target = match["target"]
        if re.match(r"[a-z]+:", target):
            continue
        name, _, anchor = target.partition("#")
        path = (page.parent / name).resolve() if name else page
        assert path.is_relative_to(ROOT) and path.exists(), f"{page_id(page)}: {target}"
        if anchor:
            assert anchor in anchors(path), f"{page_id(page)}: no heading for {target}"
    for match in REPO_PATH.finditer(text):
        if not re.search(r"[A-Z]{3}", match["path"]):  # NAME, PRODUCT: a placeholder
            assert (ROOT / match["path"]).exists(), f"{page_id(page)}: {match['path']}"


def test_every_docs_page_is_linked_from_the_index():
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for page in PAGES:
        if page.parent != ROOT and page.name != "index.md":
            assert f"({page.relative_to(ROOT / 'docs').as_posix()})" in index, page_id(page)


def commands_and_options(parser, words=("dbcompat",)):
    """Every command line of *parser*, each with its option strings."""
    import argparse

    options = [o for a in parser._actions for o in a.option_strings if o not in ("-h", "--help")]
    yield " ".join(words), options
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands_and_options(sub, (*words, name))


def test_the_cli_reference_names_every_command_and_option():
    from dbcompat.cli import build_parser

    reference = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    for command, options in commands_and_options(build_parser()):
        assert f"`{command}" in reference or command in ("dbcompat", "dbcompat ydb"), command
        for option in options:
            assert f"`{option}" in reference, f"{command} {option}"


def test_the_json_reference_names_every_schema_and_its_fields():
    from dbcompat.cli.schema import SCHEMAS, schema_text

    reference = (ROOT / "docs" / "reference" / "json-schemas.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## `(\w+)`\n(.*?)(?=^## |\Z)", reference, re.M | re.S))
    assert set(sections) == set(SCHEMAS)
    for name in SCHEMAS:
        schema = json.loads(schema_text(name))
        fields = set(schema["properties"]) - {"kind"}
        if name == "error":
            fields |= set(schema["properties"]["error"]["properties"])
        for field in fields:
            assert f"`{field}`" in sections[name], f"{name}: {field}"


def test_the_ci_guide_uses_the_action_and_hook_this_repository_has():
    inputs = set(yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"])
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    steps, used = [], []
    for block in blocks_of(ROOT / "docs" / "how-to" / "ci.md"):
        if block.kind == "yaml" and "file" not in block.options:
            document = yaml.safe_load(block.body)
            for job in document.get("jobs", {}).values():
                steps += [s for s in job["steps"] if "/dbcompat@" in s.get("uses", "")]
            for repo in document.get("repos", []):
                used += [hook["id"] for hook in repo["hooks"] if "dbcompat" in repo["repo"]]
    assert steps and used
    for step in steps:
        assert set(step.get("with", {})) <= inputs
    assert set(used) <= {hook["id"] for hook in hooks}


def test_the_readme_starts_with_the_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[2:6] == [
        "```sh",
        "pip install . && dbcompat ydb plan 24.3.11.13 25.2.1.26",
        "pip install '.[test]' && pytest",
        "```",
    ]
    assert len(lines) <= 150
    status, shown, _ = run_dbcompat(shlex.split("dbcompat ydb plan 24.3.11.13 25.2.1.26"))
    assert status == 0
    assert re.findall(r"-> (\S+)", shown) == ["24.3.15.5", "24.4.4.12", "25.1.4.18", "25.2.1.26"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
