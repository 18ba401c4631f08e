"""Partner keys: issued once, stored hashed, revocable, rate limited, usage counted cheaply."""

import re
import time
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners import usage
from partners.accounts import create_partner, issue_key, recent_keys, revoke_key
from partners.authentication import PartnerKeyAuthentication
from partners.keys import key_digest
from partners.models import Partner
from tests.conftest import make_user

LIST = "/api/v1/conditions/"
KEY_RE = re.compile(r"tvk_[0-9a-f]{12}[A-Za-z0-9_-]{43}")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    recent_keys.clear()


def create_key(name, *args):
    out, err = StringIO(), StringIO()
    call_command("create_partner_key", name, *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def get(client, url=LIST, key=None):
    headers = {"x-api-key": key} if key is not None else {}
    return client.get(url, headers=headers)


def test_create_partner_key_prints_a_key_that_opens_the_api(client, db):
    """The command prints the key alone on stdout; with it the API answers 200."""
    key = create_key("acme", "--contact-email", "api@acme.example", "--rate-limit", "100")
    assert KEY_RE.fullmatch(key)
    assert get(client, key=key).status_code == 200
    partner = Partner.objects.get(name="acme")
    assert (partner.contact_email, partner.rate_limit_per_minute) == ("api@acme.example", 100)


def test_the_key_is_stored_only_as_its_sha256(db):
    """No column holds the key; the digest and the lookup prefix do."""
    key = create_key("acme")
    partner = Partner.objects.get()
    assert partner.key_digest == key_digest(key)
    assert partner.key_prefix == key[4:16]
    assert key not in str(Partner.objects.values().get())


def test_a_second_key_for_a_partner_needs_rotate_and_retires_the_first(client, db):
    """Without --rotate the command refuses; with it the old key stops working."""
    old = create_key("acme")
    with pytest.raises(CommandError, match="--rotate"):
        create_key("acme")
    new = create_key("acme", "--rotate")
    assert get(client, key=old).status_code == 401
    assert get(client, key=new).status_code == 200


def test_rotating_with_a_rate_limit_gives_the_partner_that_limit(db):
    create_key("acme", "--rate-limit", "100")
    create_key("acme", "--rotate")
    assert Partner.objects.get().rate_limit_per_minute == 100
    create_key("acme", "--rotate", "--rate-limit", "5000")
    assert Partner.objects.get().rate_limit_per_minute == 5000


@pytest.mark.parametrize(
    "sent",
    [None, "", "not-a-key", "tvk_" + "0" * 55],
)
def test_a_missing_or_unknown_key_answers_401_in_json(client, partner_key, sent):
    """401 with a JSON error and a WWW-Authenticate challenge."""
    response = get(client, key=sent)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'ApiKey header="X-API-Key"'
    assert response.json()["code"] in {"not_authenticated", "authentication_failed"}


def test_a_key_with_a_real_prefix_and_a_wrong_secret_is_refused_without_echo(client, partner_key):
    """Only the whole key opens the API, and the error never repeats what was sent."""
    forged = partner_key[:16] + ("A" if partner_key[16] != "A" else "B") + partner_key[17:]
    response = get(client, key=forged)
    assert response.status_code == 401
    assert forged not in response.content.decode()
    assert partner_key[:16] not in response.content.decode()


def test_a_revoked_key_answers_401(client, partner_key):
    """With no key memory (PARTNER_KEY_SECONDS 0), revoking takes effect at the next request."""
    assert get(client, key=partner_key).status_code == 200
    call_command("revoke_partner_key", "Acme", stdout=StringIO())
    response = get(client, key=partner_key)
    assert response.status_code == 401
    assert response.json()["detail"] == "This API key has been revoked."


def test_over_the_rate_limit_answers_429_with_retry_after(client, db):
    """The third request in a minute of a partner allowed two is refused, saying when to retry."""
    _, key = create_partner("Small", rate_limit_per_minute=2)
    assert [get(client, key=key).status_code for _ in range(2)] == [200, 200]
    response = get(client, key=key)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    retry_after = int(response["Retry-After"])
    assert retry_after >= 1
    assert retry_after <= 60


def test_the_rate_limit_is_per_partner(client, db):
    """One partner over its limit does not stop another."""
    _, small = create_partner("Small", rate_limit_per_minute=1)
    _, other = create_partner("Other", rate_limit_per_minute=1)
    get(client, key=small)
    assert get(client, key=small).status_code == 429
    assert get(client, key=other).status_code == 200


def test_counting_a_request_writes_nothing_to_the_database(client, partner_key):
    """A request only reads: usage waits in the cache."""
    with CaptureQueriesContext(connection) as queries:
        get(client, key=partner_key)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries)
    assert Partner.objects.get().request_count == 0
    assert usage.pending([Partner.objects.get().pk]) == {Partner.objects.get().pk: 1}


def test_usage_is_added_to_the_database_every_n_requests(client, partner_key, settings):
    """With a batch of 3, seven requests add 6 and leave 1 pending."""
    settings.API_USAGE_FLUSH_EVERY = 3
    for _ in range(7):
        get(client, key=partner_key)
    partner = Partner.objects.get()
    assert partner.request_count == 6
    assert partner.last_counted_at is not None
    assert usage.pending([partner.pk]) == {partner.pk: 1}


def test_flush_api_usage_adds_what_is_pending(client, partner_key):
    """The command moves pending counts to the partners' totals, once."""
    for _ in range(4):
        get(client, key=partner_key)
    out = StringIO()
    call_command("flush_api_usage", stdout=out)
    call_command("flush_api_usage", stdout=StringIO())
    assert "Added 4 requests" in out.getvalue()
    assert Partner.objects.get().request_count == 4


def test_concurrent_flushes_neither_lose_nor_double_requests(client, partner_key, monkeypatch):
    """Total + pending stays the true count even when two flushes race."""
    partner = Partner.objects.get()
    for _ in range(5):
        get(client, key=partner_key)
    seen = usage.pending([partner.pk])
    monkeypatch.setattr(usage, "pending", lambda ids: seen)  # both flushes read 5 first
    usage.flush([partner.pk])
    usage.flush([partner.pk])
    monkeypatch.undo()
    partner.refresh_from_db()
    assert partner.request_count + usage.pending([partner.pk])[partner.pk] == 5


@pytest.fixture
def superuser_client(client, db):
    user = make_user("root", is_superuser=True)
    client.force_login(user)
    return client


def test_the_admin_shows_a_new_key_once(superuser_client, client):
    """Adding a partner shows its key on that response only; the key works; it is not kept."""
    response = superuser_client.post(
        "/admin/partners/partner/add/",
        {"name": "Portal", "contact_name": "", "contact_email": "", "rate_limit_per_minute": 60},
    )
    key = KEY_RE.search(response.content.decode()).group()
    assert "shown only on this page" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    partner = Partner.objects.get(name="Portal")
    page = superuser_client.get(f"/admin/partners/partner/{partner.pk}/change/").content.decode()
    assert key not in page
    assert partner.key_prefix in page
    assert client.get(LIST, headers={"x-api-key": key}).status_code == 200


def test_the_admin_lists_usage_counted_so_far(superuser_client, client, partner_key):
    """The partners list flushes pending counts first, so it shows every request."""
    for _ in range(3):
        get(client, key=partner_key)
    page = superuser_client.get("/admin/partners/partner/").content.decode()
    assert '<td class="field-requests">3</td>' in page


def test_the_admin_revokes_keys(superuser_client, client, partner_key):
    """The revoke action stops the key."""
    partner = Partner.objects.get()
    superuser_client.post(
        "/admin/partners/partner/",
        {"action": "revoke_keys", "_selected_action": [partner.pk]},
    )
    assert get(client, key=partner_key).status_code == 401
    assert revoke_key(Partner.objects.get()) is False


def test_guessing_keys_is_rate_limited_per_address_without_echoing_them(client, db, settings):
    """After the limit of wrong keys a minute, more guesses get 429 with Retry-After."""
    settings.API_FAILED_KEY_LIMIT = 3
    guesses = [get(client, key=f"tvk_guess{n}") for n in range(3)]
    assert [response.status_code for response in guesses] == [401, 401, 401]
    refused = get(client, key="tvk_guess3")
    assert refused.status_code == 429
    assert get(client).status_code == 429  # a missing key counts as a wrong one
    retry_after = int(refused["Retry-After"])
    assert retry_after >= 1
    assert retry_after <= 60
    assert "tvk_guess" not in refused.content.decode()


def test_a_valid_key_is_never_throttled_for_its_address_failures(client, db, settings):
    """Only missing and wrong keys are counted: a partner sharing a guesser's address gets in."""
    settings.API_FAILED_KEY_LIMIT = 3
    _, key = create_partner("Acme")
    for n in range(30):
        get(client, key=f"tvk_guess{n}")
    assert get(client, key="tvk_guess").status_code == 429
    assert get(client, key=key).status_code == 200


def test_other_addresses_are_not_held_up_by_one_guesser(client, db, settings):
    settings.API_FAILED_KEY_LIMIT = 2
    _, key = create_partner("Acme")
    for _ in range(2):
        get(client, key="tvk_wrong")
    other = client.get(LIST, headers={"x-api-key": key}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


@pytest.mark.parametrize("change", ["revoke", "rotate"])
def test_a_revoked_or_rotated_key_stops_working_within_partner_key_seconds(
    client, partner_key, settings, change
):
    """Each process remembers a valid key for PARTNER_KEY_SECONDS, then asks the database."""
    settings.PARTNER_KEY_SECONDS = 1
    assert get(client, key=partner_key).status_code == 200
    partner = Partner.objects.get()
    revoke_key(partner) if change == "revoke" else issue_key(partner)
    assert get(client, key=partner_key).status_code == 200  # remembered, for a second at most
    time.sleep(1.1)
    assert get(client, key=partner_key).status_code == 401


def test_a_remembered_key_costs_no_query(client, partner_key, settings):
    """Authenticating a key this process has seen reads nothing from the database."""
    settings.PARTNER_KEY_SECONDS = 60
    get(client, key=partner_key)
    with CaptureQueriesContext(connection) as queries:
        PartnerKeyAuthentication().authenticate(_request_with(partner_key))
    assert len(queries) == 0


def _request_with(key):
    from django.test import RequestFactory

    return RequestFactory().get(LIST, headers={"x-api-key": key})


@pytest.fixture
def one_window():
    """The rate is counted in fixed one-minute windows: a test that reads one window's count
    starts at least 5 seconds before the next, so its requests all fall in the same window."""
    left = 60 - time.time() % 60
    if left < 5:
        time.sleep(left + 0.05)


def _shared_rate(partner) -> int:
    window = int(time.time() // 60)
    return cache.get(f"partners:rate:{partner.pk}:{window}") or 0


def test_far_from_the_limit_a_process_adds_its_requests_to_the_shared_count_in_batches(
    client, db, settings, one_window
):
    """With a batch of 5 and a limit of 10,000, requests 1–5 are tallied in the process and the
    sixth adds all six to the shared count and the usage in one round trip."""
    settings.API_RATE_BATCH = 5
    partner, key = create_partner("Large", rate_limit_per_minute=10_000)
    for _ in range(5):
        assert get(client, key=key).status_code == 200
    assert _shared_rate(partner) == 0
    assert usage.pending([partner.pk]) == {}
    get(client, key=key)
    assert _shared_rate(partner) == 6
    assert usage.pending([partner.pk]) == {partner.pk: 6}


def test_a_tally_is_added_after_api_rate_sync_seconds_whatever_its_size(
    client, db, settings, one_window
):
    """A quiet partner's requests reach the shared count within API_RATE_SYNC_SECONDS."""
    settings.API_RATE_BATCH = 20
    settings.API_RATE_SYNC_SECONDS = 1
    partner, key = create_partner("Quiet", rate_limit_per_minute=10_000)
    get(client, key=key)
    assert _shared_rate(partner) == 0
    time.sleep(1.05)
    get(client, key=key)
    assert _shared_rate(partner) == 2


def test_the_batch_is_at_most_one_percent_of_the_limit(client, db, settings, one_window):
    """A partner allowed 300 a minute is tallied three at a time, one allowed 99 not at all."""
    settings.API_RATE_BATCH = 20
    partner, key = create_partner("Medium", rate_limit_per_minute=300)
    small, small_key = create_partner("Small", rate_limit_per_minute=99)
    for _ in range(4):
        get(client, key=key)
    get(client, key=small_key)
    assert _shared_rate(partner) == 4
    assert _shared_rate(small) == 1


def test_from_half_the_limit_every_request_is_counted_before_it_is_answered(
    client, db, settings, one_window
):
    """Other processes have brought the shared count to half the limit: once this process has
    seen that, each of its requests is added at once, and the one past the limit is refused."""
    settings.API_RATE_BATCH = 20
    partner, key = create_partner("Busy", rate_limit_per_minute=2_000)
    window = int(time.time() // 60)
    cache.set(f"partners:rate:{partner.pk}:{window}", 1_000, 120)
    for _ in range(21):  # a batch tallied, then added: the process sees the shared count
        get(client, key=key)
    assert _shared_rate(partner) == 1_021
    get(client, key=key)
    assert _shared_rate(partner) == 1_022
    cache.set(f"partners:rate:{partner.pk}:{window}", 1_999, 120)
    assert get(client, key=key).status_code == 200
    response = get(client, key=key)
    assert response.status_code == 429
    assert _shared_rate(partner) == 2_001
