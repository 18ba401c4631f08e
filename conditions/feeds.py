"""An Atom feed of the pages most recently reviewed by a physician."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from conditions import selectors
from tovani.http import public
from tovani.site_url import absolute_url

FEED_LENGTH = 20


class PlainTextSummaryAtomFeed(Atom1Feed):
    """Atom with each summary as type="text": summaries are plain text as the editor typed it.

    Django marks them type="html", which tells feed readers to interpret the text as markup, so
    a "<script>" typed into a summary would reach them as a script element.
    """

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})


class RecentlyReviewedFeed(Feed):
    feed_type = PlainTextSummaryAtomFeed
    title = "Recently reviewed clinical pages"
    subtitle = "Condition pages of the clinical library, newest physician review first."

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return public(super().__call__(request, *args, **kwargs))

    def link(self):
        return absolute_url(reverse("conditions:index"), self.request)

    def feed_url(self):
        return absolute_url(reverse("feeds:reviewed"), self.request)

    def items(self):
        return selectors.live_entries().order_by("-last_reviewed", "title")[:FEED_LENGTH]

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.summary

    def item_link(self, entry):
        return absolute_url(entry.get_absolute_url(), self.request)

    def item_guid(self, entry):
        # One entry per review: a new sign-off is news, a re-render is not.
        return f"{self.item_link(entry)}#reviewed-{entry.last_reviewed:%Y-%m-%d}"

    def item_updateddate(self, entry):
        return entry.last_reviewed

    def item_pubdate(self, entry):
        return entry.last_reviewed

    def item_author_name(self, entry):
        return entry.reviewed_by
