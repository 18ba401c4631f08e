"""What a translator sees of a stale segment: the English it was translated from, the English
now (as a word diff of the two) and the translation it had."""

from dataclasses import dataclass

from reviews.diff import Segment as Words
from reviews.diff import words


@dataclass
class StaleSegment:
    segment: object
    old_english: str
    new_english: str
    english_diff: list[Words]
    previous_translation: str


def stale_segments(translation) -> list[StaleSegment]:
    return [
        StaleSegment(
            segment=segment,
            old_english=segment.translated_english,
            new_english=segment.english,
            english_diff=words(segment.translated_english, segment.english),
            previous_translation=segment.text,
        )
        for segment in translation.ordered_segments()
        if segment.is_stale
    ]
