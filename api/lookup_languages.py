"""The lookup in the reader's language, in each of its shapes: the API's flat JSON, the
MedlinePlus Atom feed (the Infobutton form's default) and the feed written as JSON.

Each result or entry whose English condition page has a live Spanish version is given in
Spanish (translations.partners.spanish_result): its title, summary and address at /es/…,
xml:lang and hreflang es, its Spanish reviewer as author, with the English page named as a
second alternate; the others stay English. The feed says es itself when every entry does.
"""

import json
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from api import medlineplus
from tovani.site_url import site_origin
from translations import partners

# Atom answers are translated too, as application/atom+xml or text/xml (translations.partners.
# in_language's types).
TYPES = ("json", "xml")


def spanish_lookup(request, response, kwargs):
    """The answer's body in Spanish where it can be; None when no entry of a feed has a live
    Spanish version (the English answer stands, saying Content-Language en)."""
    origin = site_origin(request)
    if "xml" in response["Content-Type"]:
        feed = medlineplus.from_xml(response.content)
        return medlineplus.as_xml(feed) if spanish_feed(feed, origin) else None
    answer = json.loads(response.content)
    if "feed" in answer:
        return medlineplus.as_json(answer["feed"]) if spanish_feed(answer["feed"], origin) else None
    return partners.spanish_lookup(request, response, kwargs)


def spanish_feed(feed: dict, origin: str) -> bool:
    """Give each entry with a live Spanish version in Spanish; whether any was."""
    entries = feed.get("entry", [])
    entries = entries if isinstance(entries, list) else [entries]
    translated = [_in_spanish(entry, origin) for entry in entries]
    if translated and all(translated):
        feed["lang"] = "es"
    return any(translated)


def _in_spanish(entry: dict, origin: str) -> bool:
    links = entry["link"] if isinstance(entry["link"], list) else [entry["link"]]
    english_url = links[0]["href"]
    slug = _condition_slug(english_url)
    spanish = partners.spanish_result(slug, origin) if slug else None
    if spanish is None:
        return False
    entry["lang"] = "es"
    entry["title"] = {"_value": spanish["title"], "type": "text"}
    entry["summary"] = {"_value": spanish["summary"], "type": "text"}
    entry["id"] = {"_value": spanish["url"]}
    entry["updated"] = {"_value": medlineplus.z_time(spanish["published_at"])}
    entry["author"] = {
        "name": {"_value": spanish["reviewer"]},
        "uri": {"_value": spanish["reviewer_url"]},
    }
    entry["link"] = [
        {**links[0], "href": spanish["url"], "hreflang": "es", "title": spanish["title"]},
        {**links[0], "href": english_url, "hreflang": "en"},
    ]
    return True


def _condition_slug(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.kwargs.get("slug") if match.view_name == "conditions:detail" else None
