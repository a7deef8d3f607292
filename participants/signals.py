"""Signals the participants app sends (apps further up, like attendance, receive them)."""

from django.dispatch import Signal

# A card was issued (or reissued) for a participant: participant_id (the canonical one), card_id.
# Sent inside the transaction that creates it.
card_issued = Signal()
