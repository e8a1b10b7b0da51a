"""The 查询码 a visitor gets for a letter: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), about
59 bits of chance, shown once as XXXX-XXXX-XXXX. Only its SHA-256 digest is stored (Letter.query_code_digest, unique):
a copy of the database does not give anyone the codes. A plain digest (no salt) is enough for random codes of this
length, and lets a lookup be one indexed query. Typed codes are read loosely: lower case, spaces and dashes are
fine."""

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed):
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def digest(code):
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def looks_valid(typed):
    code = normalize(typed)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def display(code):
    code = normalize(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
