"""Reading the words people answer by SMS or WhatsApp: STOP, yes (1), no (2), or anything else.

People write in French, Arabic, English or Darija, in any case, with or without accents, with
Arabic-Indic digits (١ ٢) and hamza or diacritic variants, sometimes adding "merci". The rules:

- STOP and its variants opt out when they are the first word ("stop all", "STOP SMS"): missing an
  opt-out costs more than a rare false one.
- Yes and no must be the whole message, apart from polite words ("oui merci", "لا شكرا"): a
  sentence starting with "non" ("non, c'est à quelle heure ?") is a question for the organizers,
  not a cancellation.
"""

import re
import unicodedata

STOP, CONFIRM, CANCEL, NONE = "stop", "confirm", "cancel", "none"

STOP_WORDS = frozenset(
    {
        "stop",
        "stopp",
        "stopall",
        "arret",
        "arreter",
        "unsubscribe",
        "desabonner",
        "desinscrire",
        "توقف",
        "ايقاف",
        "اوقف",
        "قف",
    }
)
CONFIRM_WORDS = frozenset(
    {"1", "oui", "ouais", "yes", "y", "ok", "okay", "نعم", "اجل", "ايوه", "واخا", "wakha", "naam"}
)
CANCEL_WORDS = frozenset({"2", "non", "no", "n", "لا", "la", "annuler"})
POLITE_WORDS = frozenset(
    {
        "merci",
        "beaucoup",
        "thanks",
        "thank",
        "you",
        "svp",
        "please",
        "شكرا",
        "بارك",
        "الله",
        "فيك",
        "choukran",
    }
)

# Digits as people type them on Arabic keyboards (U+0660..) and Persian ones (U+06F0..).
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# One spelling per Arabic letter where keyboards and habits differ: hamza forms of alef, alef
# maqsura, and the tatweel used to stretch words.
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ـ": None})
_SEPARATORS = re.compile(r"[^\w]+")


def normalize(text: str) -> list[str]:
    """The words of a message, lower case, without accents, diacritics or punctuation."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = bare.translate(_DIGITS).translate(_ARABIC)
    return [word for word in _SEPARATORS.split(bare) if word and word != "_"]


def keyword_of(text: str) -> str:
    """STOP, CONFIRM, CANCEL, or NONE for anything to be read by a person."""
    words = normalize(text)
    if not words:
        return NONE
    if words[0] in STOP_WORDS:
        return STOP
    meaningful = [word for word in words if word not in POLITE_WORDS]
    if len(meaningful) != 1:
        return NONE
    if meaningful[0] in CONFIRM_WORDS:
        return CONFIRM
    if meaningful[0] in CANCEL_WORDS:
        return CANCEL
    return NONE
