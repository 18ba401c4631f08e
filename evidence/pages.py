"""Which pages a finding concerns: the live pages whose published document cites a reference."""

from reviews.models import Publication


def live_publications_citing(citekey: str) -> list[Publication]:
    """The live publications citing citekey, as published (a finding is rare: one scan)."""
    return [
        publication
        for publication in Publication.objects.live().select_related("sign_off__physician__user")
        if any(ref.get("citekey") == citekey for ref in publication.document.get("references", []))
    ]


def cited_citekeys(publication_or_document) -> set[str]:
    document = getattr(publication_or_document, "document", publication_or_document)
    return {ref["citekey"] for ref in document.get("references", []) if ref.get("citekey")}
