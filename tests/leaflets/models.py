import reversion
from django.db import models

from publishing.protocol import PublishableModel


@reversion.register()
class Leaflet(PublishableModel, models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=100)
    body = models.TextField()

    def __str__(self):
        return self.title

    def build_document(self) -> dict:
        return {
            "kind": "leaflet",
            "slug": self.slug,
            "title": self.title,
            "text": self.body,
        }

    def review_outline(self, document) -> list[tuple[str, list[str]]]:
        return [("Title", [document["title"]]), ("Body", [document["text"]])]
