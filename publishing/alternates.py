"""A live page's versions in other languages (its Spanish translation): hreflang alternates in
its head and a link beside its title, filled into its stored rendering as it is served
(publishing.alongside), so a translation going live or coming down renders nothing again.

The kind that makes such versions writes them (translations, as each goes live or comes down);
the live-pointer lookup brings them with the publication.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import format_html, format_html_join

from publishing.alongside import alongside_changed
from publishing.models import LiveAlternate
from publishing.pointers import recent_pointers

# Where a page's template wants them: in its head, and beside its title.
ALTERNATES_PLACEHOLDER = "<!-- language alternates -->"
SWITCH_PLACEHOLDER = "<!-- language switch -->"
# Each language's invitation in that language, as readers of it look for it.
READ_IN = {"es": "Leer en español", "en": "Read in English"}


def set_alternate(page, language: str, path: str, title: str = "") -> None:
    content_type = ContentType.objects.get_for_model(page)
    current = LiveAlternate.objects.filter(
        content_type=content_type, object_id=page.pk, language=language
    ).first()
    if current is not None and (current.path, current.title) == (path, title):
        return
    LiveAlternate.objects.update_or_create(
        content_type=content_type,
        object_id=page.pk,
        language=language,
        defaults={"path": path, "title": title},
    )
    _changed(page)


def live_alternates(model, object_ids, language: str) -> dict[int, LiveAlternate]:
    """{page id: its live version in language} for the pages of model that have one."""
    rows = LiveAlternate.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=list(object_ids),
        language=language,
    )
    return {row.object_id: row for row in rows}


def clear_alternate(page, language: str) -> None:
    deleted, _ = LiveAlternate.objects.filter(
        content_type=ContentType.objects.get_for_model(page), object_id=page.pk, language=language
    ).delete()
    if deleted:
        _changed(page)


def with_alternates(html: str, alternates, own_language: str, own_url: str, origin: str) -> str:
    """A stored rendering with its alternates filled in (left as it is when it has none)."""
    if not alternates:
        return html
    links = [(own_language, own_url), *((lang, origin + path) for lang, path in alternates)]
    head = format_html_join(
        "\n  ", '<link rel="alternate" hreflang="{}" href="{}">', links
    ) + format_html('\n  <link rel="alternate" hreflang="x-default" href="{}">', own_url)
    switch = format_html(
        '<p class="language-switch">{}</p>',
        format_html_join(
            " · ",
            '<a href="{}" hreflang="{}" lang="{}">{}</a>',
            ((path, lang, lang, READ_IN.get(lang, lang)) for lang, path in alternates),
        ),
    )
    return html.replace(ALTERNATES_PLACEHOLDER, head, 1).replace(SWITCH_PLACEHOLDER, switch, 1)


def _changed(page) -> None:
    alongside_changed.send(sender=type(page), page=page)
    transaction.on_commit(recent_pointers.clear)  # this process shows it at once
