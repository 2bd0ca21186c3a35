"""Which Skills a trainee can practise: an exercise file, or the reason there is none.

Every Skill (a KSA id of kind `s`) has exactly one of the two: an exercise,
`snippets/<page>/exercises/<id>.yml`, or a line of `snippets/exercises-none.yml` saying why
it has none (`sh-s04: Partner products are enabled in the console of each partner ...`).
The KSA index shows the reasons, and ksa.json gives each Skill `"exercise": true`, or `false`
with `"reason"`. `problems` names a Skill with neither or both, and a reason given for an id
that is no Skill: tests/training/test_coverage.py keeps the list honest.

Only file names are read here (the build calls it); the exercises themselves are checked by
the suite (handbook.training.exercise).
"""

from __future__ import annotations

from pathlib import Path

from handbook.errors import HandbookError
from handbook.training import lines

NONE_FILE = Path("snippets") / "exercises-none.yml"


def exercised(root: Path | str) -> dict[str, Path]:
    """Each Skill id with an exercise file, and the file."""
    return {path.stem: path for path in sorted(Path(root).glob("snippets/*/exercises/*.yml"))}


def reasons(root: Path | str) -> dict[str, str]:
    """Each Skill without an exercise, and why; checked: a mapping of ids to sentences."""
    path = Path(root) / NONE_FILE
    if not path.exists():
        return {}
    data, where = lines.read(path, "list of Skills without an exercise")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise HandbookError(path, 1, "exercises-none.yml maps a Skill's id to the reason it has no exercise")
    for ksa_id, reason in data.items():
        if not isinstance(reason, str) or not reason.strip():
            raise HandbookError(path, where.get((ksa_id,)), f"{ksa_id}: the reason is a sentence saying why no "
                                                            "exercise can practise this Skill")
    return {str(k): " ".join(v.split()) for k, v in data.items()}


def table(skills: list[str], root: Path | str) -> dict[str, dict]:
    """Each Skill: {"exercise": True}, or {"exercise": False, "reason": ...} (reason "" when none is given)."""
    have, why = exercised(root), reasons(root)
    return {ksa_id: {"exercise": True} if ksa_id in have else {"exercise": False, "reason": why.get(ksa_id, "")}
            for ksa_id in skills}


def problems(skills: list[str], root: Path | str) -> list[HandbookError]:
    """A Skill with neither an exercise nor a reason, with both, and a reason for what is no Skill."""
    have, why = exercised(root), reasons(root)
    path = Path(root) / NONE_FILE
    where = lines.read(path)[1] if path.exists() else {}
    found = []
    for ksa_id in skills:
        if ksa_id in have and ksa_id in why:
            found.append(HandbookError(path, where.get((ksa_id,)), f"{ksa_id} has an exercise ({have[ksa_id]}) and a "
                                                                   "reason for having none: remove the reason"))
        elif ksa_id not in have and ksa_id not in why:
            found.append(HandbookError(path, None, f"the Skill {ksa_id} has no exercise and no reason for having none: "
                                                   "write snippets/<page>/exercises/" + ksa_id + ".yml, or say why here"))
    for ksa_id in sorted(set(why) - set(skills)):
        found.append(HandbookError(path, where.get((ksa_id,)), f"{ksa_id} is not a published Skill; only Skills "
                                                               "have exercises"))
    return found
