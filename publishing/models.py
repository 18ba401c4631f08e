"""The stored renderings of publications, shared by every publishable kind."""

from django.db import models
from django.utils import timezone


class PageRendering(models.Model):
    """A publication rendered once: as immutable as the publication itself.

    One row per kind of rendering (publishing.renderings: the HTML page, the API's JSON of the
    page and of its list entry) and version of that kind. Written when the page is published
    (and on first use after a deploy that changes the version), so an answer whose cache entry
    is gone is read, not rendered again. The site's origin appears in it as
    tovani.site_url.ORIGIN_PLACEHOLDER.
    """

    publication = models.ForeignKey(
        "reviews.Publication", on_delete=models.PROTECT, related_name="renderings"
    )
    template = models.CharField(max_length=100)
    version = models.CharField(max_length=40, help_text="The kind's version when rendered.")
    html = models.TextField()
    rendered_at = models.DateTimeField(
        default=timezone.now,
        help_text="When made: the publication's own moment when made as it went live.",
    )

    class Meta:
        # The table keeps the name it had when condition pages were the only kind.
        db_table = "conditions_pagerendering"
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "template", "version"], name="one_rendering_per_version"
            )
        ]

    def __str__(self):
        return f"{self.template} of publication {self.publication_id} (v{self.version})"


class PageNotice(models.Model):
    """What readers are told above a live page that is not its signed text: a page being
    reviewed again because a study it cites was retracted (evidence.status).

    Kept beside the publication, never in it: the publication is what a physician signed, and a
    notice comes and goes while that stays the same. The live-pointer lookup brings it along.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    text = models.CharField(max_length=300)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_notice_per_page"
            )
        ]

    def __str__(self):
        return self.text


class LiveAlternate(models.Model):
    """A live version of a page in another language (a Spanish translation of an English
    page): the page links to it and names it in its hreflang alternates.

    Written by the kind that makes such versions as one goes live, removed as it comes down;
    like a notice, it is kept beside the page's publication and filled into its answer.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=10, help_text="A BCP 47 tag: es.")
    path = models.CharField(max_length=300, help_text="Its address on this site: /es/….")
    title = models.CharField(max_length=300, blank=True, help_text="Its title, as published.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="one_alternate_per_language"
            )
        ]

    def __str__(self):
        return f"{self.language}: {self.path}"
