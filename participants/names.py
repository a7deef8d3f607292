"""First names compared without transliteration: the same name typed with other case, accents,
Arabic diacritics or letter variants becomes the same text; 'Aminata' and 'أميناتا' stay apart
(telling those apart is the organizer's call in the duplicates queue)."""

import re
import unicodedata

# Arabic letters people write interchangeably: the hamza forms of alef, final yeh and alef
# maqsura, teh marbuta and heh.
_ARABIC_VARIANTS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه"}
)
_TATWEEL = "\u0640"
_NOT_LETTER = re.compile(r"[^\w]|[\d_]")


def name_normalise(name: str) -> str:
    """Lower case, no accents, no Arabic short vowels or tatweel, Arabic letter variants folded,
    only letters kept (spaces, hyphens and apostrophes dropped: 'Marie-Claire' = 'marie claire')."""
    text = unicodedata.normalize("NFKD", (name or "").strip().casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace(_TATWEEL, "").translate(_ARABIC_VARIANTS)
    return _NOT_LETTER.sub("", text)


def name_distance(a: str, b: str) -> int:
    """Levenshtein distance between two normalised names (short strings: the plain dynamic
    programme is enough)."""
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]
