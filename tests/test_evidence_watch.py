"""The evidence watch asks PubMed and Crossref over real HTTP: batches, rate limits, retries,
resumption, and which references it watches."""

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence import watch
from evidence.models import Finding, WatchRun
from references.importers.pubmed import throttle
from references.models import Reference
from reviews import workflow
from tests.conftest import edit, make_condition
from tests.evidence_sources import (
    CLEAN,
    CONCERN,
    CONTACT,
    RETRACTED,
    UPDATED_BY_ONLY,
    cite,
    live_page_citing,
)
from tests.evidence_sources import sources as sources  # noqa: F401 - the fixture, by its name


def many_references(count, *, dois=True):
    Reference.objects.bulk_create(
        Reference(
            citekey=f"trial{n}",
            authors="Okafor A",
            title=f"Trial number {n}",
            journal="J Trials",
            year=2020,
            pmid=str(20_000_000 + n),
            doi=f"10.5555/trial.{n}" if dois else "",
        )
        for n in range(count)
    )
    return list(Reference.objects.filter(citekey__startswith="trial").order_by("pk"))


def gaps(calls):
    return [later.at - earlier.at for earlier, later in pairwise(calls)]


def within_rate(calls, per_second) -> bool:
    """Never faster than the limit, as the server saw it: on average over the whole run, and no
    second holding more than one call beyond it (a request sent on time may arrive late on a
    busy machine, and the next one on time)."""
    times = [call.at for call in calls]
    average = times[-1] - times[0] >= (len(times) - 1) / per_second - 0.05
    busiest = max(sum(1 for t in times if start <= t < start + 1) for start in times)
    return average and busiest <= per_second + 1


def test_a_thousand_cited_references_take_five_efetch_calls_and_one_crossref_call_per_doi(
    sources, settings, editor, physician_user, publisher
):
    """1,000 cited references: 5 efetch calls of at most 200 ids, 1 Crossref call per DOI,
    never faster than either rate limit."""
    settings.CROSSREF_REQUESTS_PER_SECOND = 50
    references = many_references(1000)
    live_page_citing(editor, physician_user, publisher, *references)

    run = watch.run()

    efetch = sources.calls_to("efetch")
    assert [len(call.ids) for call in efetch] == [200] * 5
    assert {pmid for call in efetch for pmid in call.ids} == {ref.pmid for ref in references}
    works = sources.calls_to("works")
    assert len(works) == 1000
    assert within_rate(efetch, 3)
    assert within_rate(works, 50)
    assert (run.status, run.efetch_calls, run.crossref_calls) == ("done", 5, 1000)


def test_ncbi_is_told_the_tool_and_contact_and_crossref_the_mailto(
    sources, editor, physician_user, publisher
):
    """Each efetch carries tool and email, each Crossref request mailto (the polite pool)."""
    live_page_citing(editor, physician_user, publisher, cite("a2020", pmid=CLEAN, doi="10.5555/a"))

    watch.run()

    (efetch,) = sources.calls_to("efetch")
    assert efetch.params["tool"] == ["tovani"]
    assert efetch.params["email"] == [CONTACT]
    assert "api_key" not in efetch.params
    (work,) = sources.calls_to("works")
    assert work.params["mailto"] == [CONTACT]


def test_with_an_api_key_pubmed_is_asked_up_to_ten_times_a_second(
    sources, settings, editor, physician_user, publisher
):
    """NCBI_API_KEY is sent, and the throttle every efetch passes allows 10 calls a second."""
    settings.NCBI_API_KEY = "fixture-key"
    references = many_references(800, dois=False)
    live_page_citing(editor, physician_user, publisher, *references)

    watch.run()

    efetch = sources.calls_to("efetch")
    assert len(efetch) == 4
    assert all(call.params["api_key"] == ["fixture-key"] for call in efetch)
    assert within_rate(efetch, 10)
    assert throttle().interval == pytest.approx(1 / 10)


def test_a_busy_answer_is_retried_within_the_rate_limit(sources, editor, physician_user, publisher):
    """503 and 429 answers are tried again, each attempt spaced by the rate limit."""
    live_page_citing(editor, physician_user, publisher, cite("a2019", pmid=RETRACTED))
    sources.failures = [503, 429]

    run = watch.run()

    efetch = sources.calls_to("efetch")
    assert len(efetch) == 3
    assert within_rate(efetch, 3)
    assert run.status == WatchRun.Status.DONE
    assert Finding.objects.filter(kind="retraction").count() == 1


def test_a_run_that_stops_resumes_where_it_stopped(
    sources, settings, editor, physician_user, publisher
):
    """A source that keeps failing stops the run; the next run asks only what is left."""
    settings.EVIDENCE_ATTEMPTS = 2
    references = many_references(450, dois=False)
    live_page_citing(editor, physician_user, publisher, *references)
    sources.fail_after = 1

    stopped = watch.run()

    assert stopped.status == WatchRun.Status.STOPPED
    assert "PubMed answered HTTP 503" in stopped.problem
    first_batch = set(sources.calls_to("efetch")[0].ids)
    sources.calls.clear()
    sources.fail_after = None

    resumed = watch.run()

    asked = [set(call.ids) for call in sources.calls_to("efetch")]
    assert resumed.pk == stopped.pk
    assert resumed.status == WatchRun.Status.DONE
    assert [len(ids) for ids in asked] == [200, 50]
    assert not first_batch & set().union(*asked)
    assert resumed.efetch_calls == 3


def test_the_command_exits_non_zero_when_the_watch_stops(
    sources, settings, editor, physician_user, publisher
):
    """watch_evidence fails, saying why, when a source kept failing."""
    settings.EVIDENCE_ATTEMPTS = 1
    live_page_citing(editor, physician_user, publisher, cite("a2019", pmid=RETRACTED))
    sources.fail_after = 0

    with pytest.raises(CommandError, match="PubMed answered HTTP 503"):
        call_command("watch_evidence")


def test_a_second_run_records_no_finding_twice(sources, editor, physician_user, publisher):
    """The same notices seen again add nothing."""
    refs = [cite("a2019", pmid=RETRACTED), cite("b2020", pmid=CONCERN, doi=UPDATED_BY_ONLY)]
    live_page_citing(editor, physician_user, publisher, *refs)

    first, second = watch.run(), watch.run()

    assert (first.findings, second.findings) == (3, 0)
    assert Finding.objects.count() == 3


def test_only_references_cited_by_live_or_in_review_pages_are_watched(
    sources, editor, physician_user, publisher
):
    """A draft's citations and uncited references are not asked about; a submission's are."""
    live = cite("live2020", pmid="20000001")
    submitted = cite("review2020", pmid="20000002")
    draft = cite("draft2020", pmid="20000003")
    cite("unused2020", pmid="20000004")
    live_page_citing(editor, physician_user, publisher, live)
    in_review = make_condition(editor, slug="in-review")
    edit(in_review, editor, clinical_definition=f"Text [@{submitted.citekey}].")
    workflow.submit_for_review(in_review, editor)
    make_condition(editor, slug="draft", clinical_definition=f"Text [@{draft.citekey}].")

    assert set(watch.watched_references()) == {live, submitted}


def test_a_doi_crossref_does_not_know_is_not_a_failure(sources, editor, physician_user, publisher):
    """Crossref's 404 for a DOI means nothing to report; the run finishes."""
    live_page_citing(editor, physician_user, publisher, cite("a2020", doi="10.5555/missing.1"))

    run = watch.run()

    assert (run.status, run.crossref_calls, Finding.objects.count()) == ("done", 1, 0)
