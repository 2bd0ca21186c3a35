"""An argument of a call condition read from another call (handbook/training/chain.py): its form is
checked at the file and line, and when the lookup finds nothing the condition says so in a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook import aws  # first: awscli before boto3 and moto
from handbook.errors import HandbookError
from handbook.examples import fixtures
from handbook.examples.verify import simulation_runner
from handbook.training import check, exercise

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exercises"
DETECTOR = "12abc34d567e8fa901bc2d34eexample"
LOOKUP = {"from": "guardduty.ListIPSets", "args": {"DetectorId": DETECTOR}, "query": "IpSetIds[0]"}


@pytest.mark.parametrize("name, words", [
    ("lookup-without-query", "{from: <service>.<Operation>, args: {...}, query: <JMESPath>}"),
    ("lookup-unknown-operation", "the argument IpSetId is read from another call: condition 1: guardduty has no "
                                 "operation 'ListIpSet'; write the API's name, such as ListIPSets"),
])
def test_a_bad_lookup_is_an_error_at_its_file_and_line(name, words):
    with pytest.raises(HandbookError) as error:
        exercise.load(FIXTURES / f"{name}.yml", ksa="gd-s05")
    assert error.value.path.endswith(f"{name}.yml") and error.value.line == 8, error.value  # the call's line
    assert words in error.value.message


def test_a_lookup_that_finds_nothing_fails_with_a_sentence_then_holds_once_there_is_something():
    runner = simulation_runner()
    conditions = check.conditions([{"that": "the detector has the trusted IP list office-egress",
                                    "call": "guardduty.GetIPSet", "args": {"DetectorId": DETECTOR, "IpSetId": LOOKUP},
                                    "query": "Name", "equals": "office-egress"}], "test")
    with aws.mock():
        fixtures.run_setup([{"fixture": "guardduty-detector", "args": {"id": DETECTOR}}], runner, where="test")
        (before,) = check.evaluate(conditions, runner).conditions
        assert before.holds is False
        assert before.detail == "ListIPSets shows no IpSetId (nothing at IpSetIds[0]), so there is nothing to check yet."
        runner.client("guardduty").create_ip_set(DetectorId=DETECTOR, Name="office-egress", Format="TXT",
                                                 Location="s3://acme-threat-intel/trusted-ips.txt", Activate=True)
        (after,) = check.evaluate(conditions, runner).conditions
        assert after.holds is True


def test_a_lookup_that_fails_says_why():
    runner = simulation_runner()
    conditions = check.conditions([{"that": "x", "call": "guardduty.GetIPSet",
                                    "args": {"DetectorId": DETECTOR, "IpSetId": LOOKUP},
                                    "query": "Name", "equals": "office-egress"}], "test")
    with aws.mock():
        (result,) = check.evaluate(conditions, runner).conditions
    assert result.holds is False and result.detail.startswith("ListIPSets, which gives IpSetId, fails with BadRequestException: ")
