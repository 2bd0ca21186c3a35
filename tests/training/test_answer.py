"""Answers compared as a person compares them: the same thing written another way is right, anything else is not."""

import pytest

from handbook.training.answer import same


@pytest.mark.parametrize("given, expected, kind", [
    ("svc-backup", "svc-backup", "text"),
    ("  SVC-Backup ", "svc-backup", "text"),
    ("`svc-backup`", "svc-backup", "text"),
    ('"svc-backup"', "svc-backup", "text"),
    ("arn:aws:iam::123456789012:user/svc-backup", ["svc-backup", "arn:aws:iam::123456789012:user/svc-backup"], "text"),
    ("2026-11-20T09:14:03Z", "2026-11-20T09:14:03Z", "time"),
    ("2026-11-20 09:14:03", "2026-11-20T09:14:03Z", "time"),
    ("2026-11-20T10:14:03+01:00", "2026-11-20T09:14:03Z", "time"),
    ("2026-11-20T09:14:03.000Z", "2026-11-20T09:14:03Z", "time"),
    ("1795166043", "2026-11-20T09:14:03Z", "time"),
    ("1795166043000", "2026-11-20T09:14:03Z", "time"),
    ("203.0.113.45", "203.0.113.45", "address"),
    ("203.0.113.45/32", "203.0.113.45", "address"),
    (" 3 ", "3", "number"),
    ("3.0", 3, "number"),
    ("CreateUser, StopLogging", ["StopLogging", "CreateUser"], "list"),
    ("createuser\nstoplogging", "CreateUser StopLogging", "list"),
])
def test_the_same_answer_written_another_way_is_right(given, expected, kind):
    assert same(given, expected, kind)


@pytest.mark.parametrize("given, expected, kind", [
    ("svc-backups", "svc-backup", "text"),
    ("", "svc-backup", "text"),
    ("app-deployer", ["svc-backup", "arn:aws:iam::123456789012:user/svc-backup"], "text"),
    ("2026-11-20T09:14:04Z", "2026-11-20T09:14:03Z", "time"),
    ("2026-11-20T09:14:03+01:00", "2026-11-20T09:14:03Z", "time"),
    ("yesterday", "2026-11-20T09:14:03Z", "time"),
    ("203.0.113.46", "203.0.113.45", "address"),
    ("203.0.113.0/24", "203.0.113.45", "address"),
    ("not an address", "203.0.113.45", "address"),
    ("4", "3", "number"),
    ("CreateUser", ["StopLogging", "CreateUser"], "list"),
    ("CreateUser StopLogging DeleteTrail", ["StopLogging", "CreateUser"], "list"),
])
def test_a_different_answer_is_refused(given, expected, kind):
    assert not same(given, expected, kind)


def test_an_unknown_kind_is_the_author_s_error():
    with pytest.raises(ValueError, match="one of text, time"):
        same("x", "x", "colour")
