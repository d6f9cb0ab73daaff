"""Keyed pseudonyms (HMAC-SHA256) for person and mobility identifiers."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

# Published on purpose: it protects nothing and is only for the synthetic demo.
DEMO_KEY = b"international-dashboard-demo-key--synthetic-data-only"
MIN_KEY_BYTES = 16
MIN_DISTINCT = 10   # a key typed by hand ("aaaa…", spaces, "1234…") has far fewer different characters
_BLOCK = 64  # SHA-256 block size


class KeyMissing(Exception):
    pass


@dataclass(frozen=True)
class Key:
    secret: bytes
    source: str  # where it came from, for the manifest (never the key itself)


def load_key(demo: bool) -> Key:
    """The key from ETL_PSEUDONYM_KEY or the file ETL_PSEUDONYM_KEY_FILE; the
    published demo key only when the command says the data is the synthetic demo
    (never because of anything in the input folder)."""
    if value := os.environ.get("ETL_PSEUDONYM_KEY"):
        secret, source = value.strip().encode(), "environment variable ETL_PSEUDONYM_KEY"
    elif path := os.environ.get("ETL_PSEUDONYM_KEY_FILE"):
        try:
            secret = Path(path).read_bytes().strip()
        except OSError as error:
            raise KeyMissing(f"ETL_PSEUDONYM_KEY_FILE names {path}, which cannot be read ({error.strerror}).") from None
        source = "key file (ETL_PSEUDONYM_KEY_FILE)"
    elif demo:
        return Key(DEMO_KEY, "published demo key (synthetic demo data only)")
    else:
        raise KeyMissing(
            "No pseudonymisation key is set, so person identifiers cannot be replaced.\n"
            "Set one, for example:\n"
            "  python -c 'import secrets; print(secrets.token_urlsafe(32))' > ~/.config/intl-dashboard.key\n"
            "  chmod 600 ~/.config/intl-dashboard.key\n"
            "  export ETL_PSEUDONYM_KEY_FILE=~/.config/intl-dashboard.key\n"
            "Keep the key outside the repository and reuse it for every build: the same key keeps "
            "pseudonyms stable across years and builds.")
    if weakness := _weakness(secret):
        raise KeyMissing(f"The pseudonymisation key from the {source} {weakness} (accepted: at least "
                         f"{MIN_KEY_BYTES} bytes with at least {MIN_DISTINCT} different characters, not a repeated "
                         "pattern; make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))').")
    return Key(secret, source)


def _weakness(secret: bytes) -> str | None:
    if secret == DEMO_KEY:
        return "is the published demo key, which protects nothing (it is only for the synthetic demo: build --demo)"
    if b"\n" in secret or b"\r" in secret:
        return "has several lines (a key file holds the key alone, on one line)"
    if len(secret) < MIN_KEY_BYTES:
        return f"is too short ({len(secret)} bytes)"
    if len(set(secret)) < MIN_DISTINCT:
        return f"has too little variety ({len(set(secret))} different characters)"
    if any(len(secret) % n == 0 and secret == secret[:n] * (len(secret) // n) for n in range(1, len(secret) // 2 + 1)):
        return "is a short pattern repeated"
    steps = [b - a for a, b in zip(secret, secret[1:])]
    if sum(step == 1 for step in steps) > len(steps) // 2:
        return "is mostly a run of consecutive characters (like 123456 or abcdef)"
    return None


def hmac_sql(key: bytes, namespace: str, column: str) -> str:
    """A DuckDB expression equal to HMAC-SHA256(key, namespace + ':' + column), in hex.

    Written out (RFC 2104) so that the hashing runs vectorised inside DuckDB;
    tests check it against Python's hmac module.
    """
    block = hashlib.sha256(key).digest() if len(key) > _BLOCK else key
    block = block.ljust(_BLOCK, b"\0")
    inner = bytes(b ^ 0x36 for b in block).hex()
    outer = bytes(b ^ 0x5C for b in block).hex()
    prefix = f"{namespace}:".encode().hex()
    message = f"(unhex('{prefix}') || encode({column}))"
    return f"sha256(unhex('{outer}') || unhex(sha256(unhex('{inner}') || {message})))"
