"""The partner API in the reader's language: ?lang=es, Accept-Language, Infobutton's
informationRecipient.languageCode.c=es.

Each endpoint's own view answers first (the partner's key, the rate limit, a 404), with the
language parameters taken out; when Spanish was asked for, its answer is then given in Spanish
where a signed Spanish version is live: the last signed one, saying when the English has moved
on since (stale). Every answer says its Content-Language and the page's available languages.
"""

import hashlib
import json
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from conditions.models import Condition
from publishing import registry
from reviews.models import LivePublication, Publication
from reviews.signatures import verification_block
from tovani.replay import never_replay
from tovani.site_url import site_origin
from translations.models import Translation, public_slug
from translations.stamps import reviewer_signature

LANGUAGE_PARAMETER = "lang"
INFOBUTTON_LANGUAGE = "informationRecipient.languageCode.c"
SPOKEN = ("en", "es")


def asked_language(request) -> str:
    """es when the request asks for Spanish (its parameters first, then Accept-Language)."""
    for name in (LANGUAGE_PARAMETER, INFOBUTTON_LANGUAGE):
        value = request.GET.get(name, "").strip().lower()
        if value:
            return "es" if value.startswith("es") else "en"
    return _preferred(request.headers.get("Accept-Language", ""))


def _preferred(header: str) -> str:
    ranked = []
    for n, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in SPOKEN and quality > 0:
            ranked.append((-quality, n, primary))
    return min(ranked)[2] if ranked else "en"


# The IETF RateLimit fields the API puts on every answer: the Spanish one keeps them.
RATE_LIMIT_FIELDS = ("RateLimit-Policy", "RateLimit")


def in_language(view, translate=None, *, types=("json",)):
    """view answering in the asked language: translate(request, response, kwargs) gives the
    body of its 200 answer in Spanish (None: no Spanish version, the English stands; no
    translate: the answer is in English whatever is asked, as the manifest, which lists each
    page's languages itself); types: the answers' content types it translates (by a part of
    their name)."""

    def answer(request, *args, **kwargs):
        language = asked_language(request)
        # A lang this cannot serve stays in the query, for the view to refuse by name.
        if request.GET.get(LANGUAGE_PARAMETER, "").strip().lower() in SPOKEN:
            query = request.GET.copy()
            del query[LANGUAGE_PARAMETER]
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
        rewrite = translate is not None and language == "es"
        # The original answer's validators do not describe the rewritten one.
        if_none_match = request.META.pop("HTTP_IF_NONE_MATCH", "") if rewrite else ""
        if rewrite:
            request.META.pop("HTTP_IF_MODIFIED_SINCE", None)
        response = view(request, *args, **kwargs)
        if rewrite:
            # The view's validator does not see what the rewrite adds or may add (a Spanish
            # version going live), so the answer is never given again without asking the view.
            never_replay(response)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        patch_vary_headers(response, ["Accept-Language"])
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not any(kind in content_type for kind in types):
            return response
        body = translate(request, response, kwargs) if rewrite else None
        if body is None:
            response["Content-Language"] = "en"
            if if_none_match and response.get("ETag", "") in if_none_match:
                unchanged = HttpResponseNotModified()
                for header in ("ETag", "Cache-Control", "Vary", "Last-Modified"):
                    if header in response:
                        unchanged[header] = response[header]
                return unchanged
            return response
        etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        rewritten = (
            HttpResponseNotModified()
            if etag in if_none_match
            else HttpResponse(body, content_type=response["Content-Type"])
        )
        for header in ("Cache-Control", "Vary", "Allow", "Last-Modified", *RATE_LIMIT_FIELDS):
            if header in response:
                rewritten[header] = response[header]
        rewritten["ETag"] = etag
        rewritten["Content-Language"] = language
        return rewritten

    answer.csrf_exempt = True
    for mark in ("cls", "initkwargs"):
        if hasattr(view, mark):
            setattr(answer, mark, getattr(view, mark))
    return answer


def live_translation(english_slug, language="es"):
    """(translation, its live publication) for the live English condition page at slug."""
    condition_type = ContentType.objects.get_for_model(Condition)
    english = LivePublication.objects.filter(content_type=condition_type, slug=english_slug).first()
    if english is None:
        return None, None
    translation = Translation.objects.filter(
        english_type=condition_type, english_id=english.object_id, language=language
    ).first()
    if translation is None:
        return None, None
    live = (
        Publication.objects.for_object(translation)
        .live()
        .select_related("sign_off__physician")
        .first()
    )
    return (translation, live) if live is not None else (None, None)


def spanish_page(translation, publication, origin) -> dict:
    document = publication.document
    english = document["translation_of"]
    sign_off = publication.sign_off
    return {
        "slug": english["slug"],
        "language": translation.language,
        "available_languages": list(SPOKEN),
        "title": document["title"],
        "summary": document.get("summary", ""),
        "url": origin + translation.public_path,
        "english_url": origin + english["path"],
        "translation_of": {
            "digest": english["digest"],
            "published_at": _z(datetime.fromisoformat(english["published_at"])),
        },
        "stale": english["source_digest"] != translation.english_publication.source_digest,
        "updating": translation.significant_english_change,
        "digest": publication.digest,
        "publication_id": publication.pk,
        "review": {
            "reviewed_by": sign_off.signature,
            "reviewed_at": _z(sign_off.signed_at),
            "published_at": _z(publication.published_at),
            "verification": verification_block(publication),
        },
        "document": document,
    }


def _z(moment) -> str:
    """ISO 8601 in UTC ending in Z, as every time the API writes (DRF's form)."""
    return moment.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"


def spanish_detail(request, response, kwargs):
    translation, live = live_translation(kwargs["slug"])
    if live is None:
        return None
    return _json(spanish_page(translation, live, site_origin(request)))


def spanish_result(english_slug, origin) -> dict | None:
    """What a lookup says of the live Spanish version of the English condition page at slug
    (None when it has none): its text, address and stamp, and who reviewed it."""
    translation, live = live_translation(english_slug)
    if live is None:
        return None
    spanish = spanish_page(translation, live, origin)
    physician = live.sign_off.physician
    return {
        **{
            key: spanish[key]
            for key in ("language", "title", "summary", "url", "english_url", "stale")
        },
        "translation_of": spanish["translation_of"],
        "published_at": live.published_at,
        "reviewer": reviewer_signature(live.sign_off, translation.language),
        "reviewer_url": origin + physician.get_absolute_url(),
    }


def spanish_lookup(request, response, kwargs):
    """Each result with a live Spanish version given in Spanish; the others stay English."""
    answer = json.loads(response.content)
    origin = site_origin(request)
    for result in answer.get("results", []):
        spanish = spanish_result(result["slug"], origin)
        result["available_languages"] = ["en", "es"] if spanish is not None else ["en"]
        if spanish is None:
            result["language"] = "en"
            continue
        result.update(
            {
                key: spanish[key]
                for key in ("language", "title", "summary", "url", "stale", "translation_of")
            }
        )
        result["review"]["stamp"] = f"Revisado por {spanish['reviewer']}"
    answer["language"] = "es"
    return _json(answer)


def manifest_languages(english_slugs, origin) -> dict[str, dict]:
    """{English condition slug: the members its manifest entry gains}: its languages, and for
    a page with a live translation, that translation's address and publication to reconcile
    by. Two queries for the whole list."""
    live = live_translations(english_slugs)
    members = {}
    for slug in english_slugs:
        translation, publication = live.get(slug, (None, None))
        if publication is None:
            members[slug] = {"available_languages": ["en"]}
            continue
        members[slug] = {
            "available_languages": ["en", "es"],
            "translations": {
                translation.language: {
                    "url": origin + translation.public_path,
                    "digest": publication.digest,
                    "publication_id": publication.pk,
                    "translates_digest": publication.document["translation_of"]["digest"],
                }
            },
        }
    return members


def live_translations(english_slugs, language="es") -> dict:
    """{English condition slug: (translation, its live publication)}, in two queries."""
    kind = registry.kind_of(Condition)
    wanted = {public_slug(language, kind.path(slug)): slug for slug in english_slugs}
    live = LivePublication.objects.filter(
        content_type=ContentType.objects.get_for_model(Translation), slug__in=list(wanted)
    ).select_related("publication__sign_off")
    publications = {row.slug: row.publication for row in live}
    translations = Translation.objects.filter(slug__in=list(publications)).select_related(
        "english_publication"
    )
    return {
        wanted[translation.slug]: (translation, publications[translation.slug])
        for translation in translations
    }


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
