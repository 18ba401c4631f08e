class TranslationError(Exception):
    """A translation step refused, with a message for the person who asked."""
