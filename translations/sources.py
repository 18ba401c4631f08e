"""The units of an English publication: taken when it goes live, so a translation always
translates exactly what was published, however far the English draft has moved on since."""

from reviews.digest import source_digest
from translations.errors import TranslationError
from translations.models import EnglishUnits
from translations.units import units_of


def remember_units(page, publication) -> EnglishUnits | None:
    """Store the units of a publication that just went live (when the draft still is it)."""
    if source_digest(page) != publication.source_digest:
        return None
    units, _ = EnglishUnits.objects.get_or_create(
        publication=publication,
        defaults={"units": [unit.as_dict() for unit in units_of(page)]},
    )
    return units


def english_units(publication, page) -> list[dict]:
    """The units of the publication: stored at publish, else read from a draft that is still
    exactly what was published."""
    stored = EnglishUnits.objects.filter(publication=publication).first()
    if stored is None:
        stored = remember_units(page, publication)
    if stored is None:
        raise TranslationError(
            "The English page has changed since it was published and its published units were "
            "not recorded: publish the English page again, then translate it."
        )
    return stored.units
