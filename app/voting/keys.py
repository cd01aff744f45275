"""Keyed hashes and random codes for voting.

Every hash here is an HMAC-SHA256 under the ballot secret: the BALLOT_SECRET setting, or else a key
derived from SECRET_KEY. Without the secret, a database dump cannot link a ballot to a person, nor
test guessed identity numbers or voter codes against the stored hashes.
Changing the secret during a vote would let everyone vote again: set BALLOT_SECRET before voting
opens and keep it until the results are published.
"""

import hashlib
import hmac
import secrets

from flask import current_app

# No 0/O, 1/I/L: codes are read aloud, copied from paper and typed on phones.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def ballot_secret() -> bytes:
    configured = current_app.config.get("BALLOT_SECRET")
    if configured:
        return configured.encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"ballot-secret/v1", hashlib.sha256).digest()


def keyed_hash(purpose: str, *parts: object) -> str:
    """Hex HMAC of `parts` for one `purpose` (so that hashes made for different uses never match)."""
    message = "\x1f".join([purpose, *(str(p) for p in parts)]).encode()
    return hmac.new(ballot_secret(), message, hashlib.sha256).hexdigest()


def voter_key(process_id: int, identity: str) -> str:
    """The pseudonymous key a ballot is stored under: `identity` is "user:<id>", "census:<entry id>" or
    "code:<code id>". Keys differ between processes, so ballots cannot be linked across them."""
    return keyed_hash("voter", process_id, identity)


def random_code(groups: int, size: int) -> str:
    """A random code like K7QM-3XDP from ALPHABET (5 bits a character)."""
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(size)) for _ in range(groups))


def normalise_code(text: str) -> str:
    """A code as typed, for hashing: case, spaces and dashes are ignored."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def new_receipt() -> str:
    """A receipt code: 12 characters (60 random bits) in three groups."""
    return random_code(3, 4)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
