"""pytest + sybil: every example is one test item, named by its file and line.

- A snippet file (`snippets/<page>/<name>.<ext>`) is one example: `SnippetParser` yields one
  region over the whole file, verified by its kind (`verify.snippet`), which also fails a
  snippet that no page includes.
- A page (`docs/**/*.md`) yields a region for every fence left inline (`FenceParser`, built on
  markdown-it's fence tokens, since sybil's CodeBlockParser skips fences with attributes) and
  for every `{{ snippet("...") }}` call (`CallParser`): the snippet must exist. The snippet
  itself is verified once, as a file.

An evaluator returns None when the example is verified and the findings' sentences
(`path:line: kind: message`) when it is not; an example whose findings are all "skipped" is
reported as skipped. The root conftest.py wires this in:

    pytest_collect_file = collect.pytest_collect_file(ROOT)
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Iterable

import pytest
from sybil import Document, Example, Region, Sybil

from handbook import snippets as layout
from handbook.examples import Finding, fences, status, verify

PROJECT_FIXTURE = "examples_project"  # a session fixture giving the verify.Project


def shown(finding: Finding) -> str:
    """`path:line: kind: message`, the path relative to the working folder when inside it."""
    path = Path(finding.path)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return str(dataclasses.replace(finding, path=path.relative_to(Path.cwd()).as_posix()))
    return str(finding)


def outcome(findings: list[Finding]) -> str | None:
    """None when verified, the failure text otherwise; skips the test when nothing was checked."""
    errors = [f for f in findings if f.status == "error"]
    if errors:
        return "\n".join(shown(f) for f in errors)
    if not findings:
        return "the checker returned no finding at all, so nothing was verified."
    if all(f.status == "skipped" for f in findings):
        pytest.skip("; ".join(f.message for f in findings))
    return None


def _project(example: Example) -> verify.Project:
    return example.namespace[PROJECT_FIXTURE]


class SnippetParser:
    """The whole snippet file is one example."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def __call__(self, document: Document) -> Iterable[Region]:
        ref = Path(document.path).resolve().relative_to(self.root.resolve()).as_posix()
        yield Region(0, len(document.text), layout.Snippet(self.root, ref), self.evaluate)

    @staticmethod
    def evaluate(example: Example) -> str | None:
        return outcome(verify.snippet(example.parsed, _project(example)))


class FenceParser:
    """Each fenced block of a page, found with markdown-it."""

    def __call__(self, document: Document) -> Iterable[Region]:
        for block in fences.fences(document.text):
            yield Region(block.start, block.end, block, self.evaluate)

    @staticmethod
    def evaluate(example: Example) -> str | None:
        return outcome(verify.fence(Path(example.path), example.parsed, _project(example)))


class CallParser:
    """Each `{{ snippet("...") }}` call of a page outside a fence."""

    def __call__(self, document: Document) -> Iterable[Region]:
        blocks = fences.fences(document.text)
        for found in layout.calls(document.text):
            if not any(b.start <= found.start < b.end for b in blocks):
                yield Region(found.start, found.end, found, self.evaluate)

    @staticmethod
    def evaluate(example: Example) -> str | None:
        return outcome([verify.call(Path(example.path), example.parsed, _project(example))])


def sybils(root: Path) -> list[Sybil]:
    """The two collections: snippet files under root/snippets, pages under root/docs."""
    root = Path(root)
    snippet_files = Sybil(
        parsers=[SnippetParser(root / "snippets")],
        path=str(root / "snippets"),
        patterns=[f"*/*{suffix}" for suffix in layout.KINDS],
        fixtures=[PROJECT_FIXTURE],
        name="snippet",
    )
    pages = Sybil(
        parsers=[FenceParser(), CallParser()],
        path=str(root / "docs"),
        patterns=["*.md"],
        fixtures=[PROJECT_FIXTURE],
        name="page",
    )
    return [snippet_files, pages]


def pytest_collect_file(root: Path):
    """The pytest hook collecting every example under `root` (snippets/ and docs/)."""
    from sybil.integration.pytest import pytest_integration

    return pytest_integration(*sybils(root))


def summary(project: verify.Project) -> dict | None:
    """How every snippet was verified in this run, for the kit's manifest; None after a partial run."""
    found = layout.find(project.snippets)
    if not found or any(s.ref not in project.results for s in found):
        return None
    model_only = project.model_only
    ways: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for example in found:
        declarations = example.declarations
        kind = "shell" if status.is_shell(example, declarations) else example.kind
        kinds[kind] = kinds.get(kind, 0) + 1
        way = status.of(example, declarations, model_only).key
        ways[way] = ways.get(way, 0) + 1
    results = [project.results[s.ref] for s in found]
    import awscli
    import moto

    return {
        "examples": len(found),
        "kinds": dict(sorted(kinds.items())),
        "verified": dict(sorted(ways.items())),
        "passed": results.count("ok"), "failed": results.count("error"), "skipped": results.count("skipped"),
        "tools": {"awscli": awscli.__version__, "moto": moto.__version__},
    }
