"""Mutation test for the JSON checker: a misspelt key must be rejected.

A checker that passes everything looks exactly like a checker that works. For a JSON
example, `self_test` misspells the keys the declared schema checks (by default every one,
one at a time; with `every_key=False` only the first) and asserts that the checker reports
something new for each variant. Keys inside free-form values (CloudTrail's
requestParameters, say) or under an `allow` entry are not checked by the schema, so they
are not mutated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from handbook.examples import Finding
from handbook.examples import jsontext
from handbook.examples.shapes import validate

KIND = "json"


@dataclass(frozen=True)
class Mutation:
    text: str  # the whole document with one key misspelt
    path: tuple  # JSON path of the key in the original
    key: str
    misspelt: str
    line: int  # 1-based line of the key inside the document


def misspell(key: str, avoid=()) -> str:
    """A typo of `key`: two neighbouring letters swapped, from the end (Records -> Recorsd).

    Keys whose letters are all the same get a letter doubled instead. Never returns `key`
    itself or a name in `avoid` (the key's siblings, which would make a duplicate instead).
    """
    candidates = []
    for i in range(len(key) - 2, -1, -1):
        if key[i] != key[i + 1]:
            candidates.append(key[:i] + key[i + 1] + key[i] + key[i + 2 :])
    candidates += [key + key[-1:], key + "x"]
    for candidate in candidates:
        if candidate != key and candidate not in avoid:
            return candidate
    raise ValueError(f"cannot misspell {key!r}")


def _parent(value, path):
    for part in path[:-1]:
        value = value[part]
    return value


def mutate(text: str, path: tuple | None = None) -> Mutation:
    """`text` with the key at `path` (default: the first key in the document) misspelt."""
    doc = jsontext.parse(text)
    if not doc.key_spans:
        raise ValueError("the document has no object keys to misspell")
    path = tuple(path) if path is not None else min(doc.key_spans, key=lambda p: doc.key_spans[p][0])
    if path not in doc.key_spans:
        raise KeyError(f"no key at {jsontext.render_path(path)}")
    key = path[-1]
    typo = misspell(key, avoid=set(_parent(doc.value, path)))
    start, end = doc.key_spans[path]
    return Mutation(text[:start] + json.dumps(typo) + text[end:], path, key, typo, doc.lines[path])


def self_test(text: str, *, path, line: int, declarations: dict | None, every_key: bool = True) -> list[Finding]:
    """Findings saying whether the JSON checker rejects misspelt keys of this example."""
    path = str(path)
    original = validate(text, declarations)
    if original.syntax_error or original.declaration_errors or original.schema is None:
        why = f"the JSON does not parse ({original.syntax_error})" if original.syntax_error else original.declaration_errors[0]
        return [Finding(path, line, KIND, "skipped", f"The mutation test needs an example that parses and declares a usable schema: {why}")]
    keys = original.checked_keys if every_key else original.checked_keys[:1]
    if not keys:
        return [Finding(path, line, KIND, "error", f"No key of this example is checked against {original.schema.source}, so a misspelt key would pass unnoticed.")]
    baseline = len(original.problems)
    findings = []
    for key_path in keys:
        mutation = mutate(text, key_path)
        mutated = validate(text=mutation.text, declarations=declarations)
        if len(mutated.problems) <= baseline and not mutated.syntax_error:
            findings.append(
                Finding(
                    path,
                    line + mutation.line - 1,
                    KIND,
                    "error",
                    f"The JSON checker accepted this example with key {jsontext.render_path(mutation.path)} misspelt as {mutation.misspelt!r}: a typo there would go unnoticed.",
                )
            )
    if findings:
        return findings
    return [Finding(path, line, KIND, "ok", f"The JSON checker rejects each of the {len(keys)} schema-checked keys when it is misspelt.")]
