"""What a translated page shows, rendered once at publish from its publication alone, in the
page's own language, with the English page it translates named and linked."""

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation as locale
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, gettext_noop

from publishing import renderings
from publishing.pointers import recent_pointers
from reviews.history import currency
from tovani.site_url import ORIGIN_PLACEHOLDER, site_context
from translations.models import StalePolicy, Translation
from translations.read_model import TranslatedEntry
from translations.stamps import reviewer_signature

DETAIL_TEMPLATE = "translations/detail.html"
# The editorial statements every page's footer links to: (URL name, label).
FOOTER_STATEMENTS = [
    ("editorial:policy", gettext_noop("Editorial policy")),
    ("editorial:disclosures", gettext_noop("Disclosures")),
]


def reviewers_stamp(language: str) -> str:
    """A short stamp of how the live pages in language name their reviewers (Dr./Dra.): the
    language's index shows them, so a new honorific changes its cache key and ETag. One query,
    remembered as live pointers are (a change clears this process's memory at once)."""
    key = ("reviewers stamp", language)
    stamp = recent_pointers.get(key)
    if stamp is None:
        names = TranslatedEntry.objects.live().filter(language=language)
        names = sorted(set(names.values_list("reviewed_by", flat=True)))
        stamp = hashlib.sha256("\n".join(names).encode()).hexdigest()[:12]
        recent_pointers.set(key, stamp)
    return stamp


def footer_statements(language: str) -> list[dict]:
    """The footer's statements for a page in language: each one's live version in that
    language, else the English statement (marked English in the footer). A translation of a
    statement going live or coming down renders the live pages in its language again
    (translations.remade), so a stored page says what is live."""
    english_paths = [reverse(name) for name, _ in FOOTER_STATEMENTS]
    live = dict(
        TranslatedEntry.objects.live()
        .filter(language=language, english_path__in=english_paths)
        .values_list("english_path", "path")
    )
    return [
        {"path": live.get(path, path), "label": label, "in_language": path in live}
        for path, (_, label) in zip(english_paths, FOOTER_STATEMENTS, strict=True)
    ]


def page_context(publication, origin: str) -> dict:
    document = publication.document
    english = document["translation_of"]
    url = origin + f"/{document['language']}{english['path']}"
    english_url = origin + english["path"]
    return {
        **site_context(),
        "publication": publication,
        "document": document,
        "currency": currency(publication),
        "reviewer_signature": reviewer_signature(publication.sign_off, document["language"]),
        "english": english,
        "english_published_at": parse_datetime(english["published_at"]),
        "language": document["language"],
        "canonical_url": url,
        "english_url": english_url,
        "structured_data": structured_data(publication, url, english_url),
        "footer_statements": footer_statements(document["language"]),
    }


def structured_data(publication, url, english_url) -> dict:
    """schema.org: the page in its language, a translation of the English page."""
    document = publication.document
    sign_off = publication.sign_off
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": document["title"],
        "description": document.get("summary", ""),
        "inLanguage": document["language"],
        "translationOfWork": {"@type": "MedicalWebPage", "@id": english_url, "inLanguage": "en"},
        "lastReviewed": sign_off.signed_at.date().isoformat(),
        "reviewedBy": {
            "@type": "Person",
            "name": reviewer_signature(sign_off, document["language"]),
        },
        "datePublished": publication.published_at.date().isoformat(),
    }


def updating_notice(slug, pointer) -> str | None:
    """What readers must be told now: the English changed in a clinically significant way
    since this translation was signed (the page stays up under the "notice" policy)."""
    translation = Translation.objects.filter(slug=slug).only(
        "significant_english_change", "stale_policy", "language"
    )
    row = translation.first()
    if row is None or not row.significant_english_change:
        return None
    if row.stale_policy != StalePolicy.NOTICE:
        return None
    with locale.override(row.language):
        return gettext(
            "The English version of this page changed in a clinically significant way; "
            "this translation is being updated. Until then, read the English version."
        )


def render_page(publication) -> str:
    with locale.override(publication.document["language"]):
        return render_to_string(DETAIL_TEMPLATE, page_context(publication, ORIGIN_PLACEHOLDER))


PAGE = renderings.Kind(DETAIL_TEMPLATE, lambda: settings.PAGE_CACHE_VERSION, render_page)
