"""Make a new Ed25519 key the site signs publications with; the old public keys stay published."""

import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews import signatures
from reviews.key_set_refresh import refresh_key_set_caches


class Command(BaseCommand):
    help = (
        "Generate a new signing key, write its PEM to the key file (SIGNING_KEY_FILE or "
        "--key-file) and publish its public half at /.well-known/tovani-keys.json. Publications "
        "signed with older keys keep verifying: their public keys stay in the key set. The "
        "proxies at KEY_SET_REFRESH_URLS are asked to fetch the key set again at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--key-file",
            help="Where to write the new private key (PEM); defaults to SIGNING_KEY_FILE.",
        )

    def handle(self, *args, key_file=None, **options):
        path = Path(key_file or settings.SIGNING_KEY_FILE or "")
        if not str(path) or str(path) == ".":
            raise CommandError(
                "Give --key-file PATH, or set SIGNING_KEY_FILE: the new key goes there."
            )
        private_key = Ed25519PrivateKey.generate()
        # Published before it signs anything, so no publication ever names an unknown key.
        row = signatures.register(private_key)
        write_private(path, signatures.pem(private_key))
        self.stdout.write(f"Wrote a new signing key to {path} (key id {row.kid}).")
        for line in refresh_key_set_caches():
            self.stdout.write(f"Key set cache {line}")
        if settings.SIGNING_KEY:
            self.stdout.write(
                "SIGNING_KEY is set in the environment and wins over the file: put the new "
                "key's PEM in SIGNING_KEY (or unset it and set SIGNING_KEY_FILE), then restart."
            )
        else:
            self.stdout.write(
                "Publications are signed with it from now on; older keys stay published."
            )


def write_private(path: Path, data: bytes) -> None:
    """Replace the file at once, readable by its owner only: no moment with half a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
