"""translation.stale: partners hear that a translation lags a clinically significant change."""

from publishing.urls import publication_url
from tovani.site_url import absolute_url
from webhooks.events import emit


def translation_stale(translation, english, stale_segments) -> None:
    emit(
        "translation.stale",
        {
            "language": translation.language,
            "slug": translation.slug,
            "url": absolute_url(translation.public_path),
            "english": {
                "slug": english.slug,
                "digest": english.digest,
                "url": publication_url(english),
            },
            "stale_segments": [segment.key for segment in stale_segments],
            "policy": translation.stale_policy,
        },
    )
