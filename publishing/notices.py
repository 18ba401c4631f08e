"""Notices to readers above a live page, set and cleared by the app that knows why.

A notice is shown in place of NOTICE_PLACEHOLDER, which the page's template leaves where readers
look first; the stored rendering never holds it, so setting or clearing one renders nothing
again. The live-pointer lookup brings the notice with the publication (publishing.pointers):
every process shows a change within PAGE_POINTER_SECONDS, and edge caches are purged at once
(publishing.alongside).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import format_html

from publishing.alongside import alongside_changed
from publishing.models import PageNotice
from publishing.pointers import recent_pointers

NOTICE_PLACEHOLDER = "<!-- page notice -->"


def set_notice(page, text: str) -> bool:
    """Show text above the page (clear it with ""); returns whether anything changed."""
    content_type = ContentType.objects.get_for_model(page)
    current = PageNotice.objects.filter(content_type=content_type, object_id=page.pk).first()
    if text:
        if current is not None and current.text == text:
            return False
        PageNotice.objects.update_or_create(
            content_type=content_type, object_id=page.pk, defaults={"text": text[:300]}
        )
    else:
        if current is None:
            return False
        current.delete()
    alongside_changed.send(sender=type(page), page=page)
    transaction.on_commit(recent_pointers.clear)  # this process shows it at once
    return True


def notice_html(text: str) -> str:
    """The notice as the page shows it: a status readers' assistive technology announces."""
    return format_html(
        '<aside class="page-notice" role="status" aria-label="Notice"><p>{}</p></aside>', text
    )


def with_notice(html: str, text: str) -> str:
    """A stored rendering with its notice filled in (or the empty placeholder left as is)."""
    if not text:
        return html
    return html.replace(NOTICE_PLACEHOLDER, notice_html(text), 1)
