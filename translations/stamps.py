"""How a translated page names its reviewer: the signed name with the honorific of the page's
language. The sign-off keeps the signature as signed ("Dr. Lucía García Demo, MD"); a Spanish
page says "Dra." when the physician's profile asks for it (Physician.spanish_honorific)."""

from reviews.models import SIGNATURE_PREFIX


def reviewer_signature(sign_off, language: str) -> str:
    if language != "es" or not sign_off.signature.startswith(SIGNATURE_PREFIX):
        return sign_off.signature
    honorific = sign_off.physician.spanish_honorific
    return f"{honorific} {sign_off.signature.removeprefix(SIGNATURE_PREFIX)}"
