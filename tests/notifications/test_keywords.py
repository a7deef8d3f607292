"""The words people answer, in the three languages, any case, with Arabic digits and variants."""

import pytest

from notifications.keywords import CANCEL, CONFIRM, NONE, STOP, keyword_of

TABLE = [
    ("STOP", STOP),
    ("stop", STOP),
    ("Stop all", STOP),
    ("STOP SMS", STOP),
    ("STOPP", STOP),
    ("Arrêt", STOP),
    ("ARRÊT", STOP),
    ("arret!", STOP),
    ("توقف", STOP),
    ("إيقاف", STOP),
    ("1", CONFIRM),
    (" 1. ", CONFIRM),
    ("١", CONFIRM),
    ("۱", CONFIRM),
    ("OUI", CONFIRM),
    ("Oui merci", CONFIRM),
    ("yes", CONFIRM),
    ("Ok", CONFIRM),
    ("نعم", CONFIRM),
    ("نَعَم", CONFIRM),
    ("واخا", CONFIRM),
    ("2", CANCEL),
    ("٢", CANCEL),
    ("NON", CANCEL),
    ("non merci", CANCEL),
    ("No", CANCEL),
    ("لا", CANCEL),
    ("لا شكرا", CANCEL),
    ("", NONE),
    ("   ", NONE),
    ("merci", NONE),
    ("12", NONE),
    ("١٢", NONE),
    ("1 2", NONE),
    ("non, c'est à quelle heure ?", NONE),
    ("Oui mais je serai en retard", NONE),
    ("Bonjour, je viendrai avec ma fille", NONE),
    ("هل يمكنني إحضار أطفالي؟", NONE),
]


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_keyword_of(text, expected):
    assert keyword_of(text) == expected
