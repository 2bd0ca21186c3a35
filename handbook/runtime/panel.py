"""The investigation panel's calls, in the page's Python: a thin view of handbook.training.investigation.

The panel (assets/investigation.js) asks, through the worker, for one thing at a time, and gets
JSON back. Nothing it is given reveals more than the trainee asked for:

- `start`: the incident replayed in a fresh account (unless a drill step just prepared it), and
  the investigation's public part: title, briefing, the questions' wording, how many hints each
  has, whether Athena answers it, how many conditions the containment has; never an answer;
- `answer`: right or wrong, compared as a person compares (handbook.training.answer); a right
  answer comes back with the recorded one, which is then found;
- `hint`: the next hint of a question, when asked (each costs points: the panel counts them);
- `give_up`: the recorded answer and what finds it (commands, SQL), the question then lost;
- `contained`: the containment's conditions evaluated on the account: how many hold, and each in
  words once every question is settled (a condition's words may name an answer, such as the
  backdoor user to remove);
- `score`: the score of handbook.training.investigation.score, out of 100.
"""

from __future__ import annotations

import functools
import json


@functools.lru_cache(maxsize=None)
def _investigation(name: str):
    from handbook.training import investigation

    return investigation.load(name)


def _reply(work) -> str:
    try:
        return json.dumps(work())
    except Exception as failure:  # the page keeps working, and says what failed
        return json.dumps({"error": f"The investigation could not do this: {type(failure).__name__}: {failure}"})


def start(account, name: str, prepared: bool) -> str:
    """The incident's account (replayed here unless `prepared`: a drill step's Start just did) and the public part."""
    from handbook.training import investigation

    def work():
        found = investigation.public(_investigation(name))
        found["containment"] = len(found["containment"])  # its words may name an answer (the backdoor user)
        if not prepared or account.key != f"drill:{name}":
            found["note"] = account.incident(name).note
        return found
    return _reply(work)


def answer(name: str, question: str, given: str) -> str:
    from handbook.training import investigation

    def work():
        found = _investigation(name)
        if not given.strip():
            return {"status": "empty"}
        if investigation.answer(found, question, given):
            return {"status": "right", "answer": investigation.reveal(found, question)}
        return {"status": "wrong"}
    return _reply(work)


def hint(name: str, question: str, number: int) -> str:
    from handbook.training import investigation

    return _reply(lambda: {"hint": investigation.hint(_investigation(name), question, int(number))})


def give_up(name: str, question: str) -> str:
    from handbook.training import investigation

    def work():
        found = _investigation(name)
        asked = found.question(question)
        return {"answer": investigation.reveal(found, question), "found_by": asked.found_by, "sql": asked.sql}
    return _reply(work)


def contained(account, name: str, reveal: bool = False) -> str:
    """The containment verified; each condition in words only when `reveal` (every question answered or
    given up on: the words may name an answer), else how many hold."""
    from handbook.training import investigation

    def work():
        if account.key != f"drill:{name}":
            return {"holds": False, "conditions": [], "message": "Start the investigation first: its account is "
                                                                 "prepared then."}
        verdict = investigation.contained(_investigation(name), account.runner)
        held = sum(c.holds for c in verdict.conditions)
        if reveal is not True:
            return {"holds": verdict.holds, "conditions": [], "message": f"{held} of {len(verdict.conditions)} "
                    "conditions hold. Each is named once every question is answered or given up on."}
        return {"holds": verdict.holds, "message": verdict.message(),
                "conditions": [{"that": c.that, "holds": c.holds, "detail": c.detail} for c in verdict.conditions]}
    return _reply(work)


def score(name: str, right: int, hints: int, seconds) -> str:
    from handbook.training import investigation

    # the page's null reaches Python as a JsNull, not None: any value but a number means "not contained"
    seconds = float(seconds) if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) else None
    return _reply(lambda: {"score": investigation.score(_investigation(name), int(right), int(hints), seconds)})
