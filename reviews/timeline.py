"""What else a page's timeline shows: apps that act on published pages add their entries (the
edge caches' purges), so the workflow imports none of them.

Each source is a function of the page returning entries: dicts with "at" (when) and the key the
timeline template shows them by.
"""

_sources = []


def add_entries(source) -> None:
    _sources.append(source)


def entries_of(obj) -> list[dict]:
    return [entry for source in _sources for entry in source(obj)]
