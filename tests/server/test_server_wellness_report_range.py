"""A report over any range costs what the data costs: the fuzzer's centuries-wide range
(0158 to 9832) once looped over every hour of it and never answered."""

from __future__ import annotations


def test_a_report_over_centuries_answers_with_the_days_that_have_data(harness):
    headers = harness.user(None, "wellness")
    reply = harness.http.get("/wellness/report", headers=headers,
                             params={"since": "0158-07-09", "until": "9832-12-31"})
    assert reply.status_code == 200 and reply.json() == {"rows": []}
