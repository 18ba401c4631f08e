"""The exceptions of the references app; each message is meant to be shown to an editor as-is."""


class ImportFormatError(Exception):
    """The input could not be read as references; each problem names its line or record."""

    def __init__(self, *problems: str):
        super().__init__(*problems)
        self.problems = list(problems)

    def __str__(self):
        return "\n".join(self.problems)


class PubMedUnavailable(Exception):
    """PubMed could not be asked, or did not answer in a way that can be read."""


class ImportJobError(Exception):
    """A background import cannot take this step in its present state."""


class ReferenceInUse(Exception):
    """A reference that a live page or a page in review cites cannot be deleted."""
