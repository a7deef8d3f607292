"""Putting accepted proposals to partner organisations: the organizer chooses, among the event's
network (its programme's partners and its co-organisers), the organisations asked to answer an
accepted proposal. The answers themselves live in forums, which reads the addressees through
`proposals.selectors`.

The chosen set replaces the previous one in one transaction under the proposal's row lock; an
organisation kept keeps the moment it was first asked (its answer delay counts from it), so
saving the same choice twice changes nothing."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.models import Organization
from core.services import audit_record

from .models import Proposal, ProposalAddressee
from .selectors import proposal_network


def proposal_address(
    *, proposal: Proposal, organization_ids: list[int], user=None, now=None
) -> Proposal:
    """Address an accepted proposal to exactly these organisations of its event's network (an
    empty list withdraws it from every partner)."""
    wanted = set()
    for value in organization_ids:
        if isinstance(value, Organization):
            value = value.pk
        if isinstance(value, bool) or not isinstance(value, int):
            raise ApplicationError(
                _("Choose organisations of the list."),
                field_errors={"addressed_to": [_("Choose organisations of the list.")]},
            )
        wanted.add(value)
    now = now or timezone.now()
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("call__event")
            .get(pk=proposal.pk)
        )
        if proposal.status != Proposal.Status.ACCEPTED:
            raise ApplicationError(
                _("Only an accepted proposal can be addressed to partners."),
                code="proposal_not_accepted",
                status=409,
            )
        network = set(proposal_network(event=proposal.call.event).values_list("pk", flat=True))
        outside = wanted - network
        if outside:
            message = _("Address the proposal only to partners of this event or its programme.")
            raise ApplicationError(
                message, code="not_in_network", field_errors={"addressed_to": [message]}
            )
        current = set(proposal.addressees.values_list("organization_id", flat=True))
        removed, added = current - wanted, wanted - current
        if removed:
            proposal.addressees.filter(organization_id__in=removed).delete()
        ProposalAddressee.objects.bulk_create(
            ProposalAddressee(
                proposal=proposal, organization_id=org_id, addressed_at=now, addressed_by=user
            )
            for org_id in sorted(added)
        )
        if added or removed:
            audit_record(
                actor=user,
                action="proposals.proposal_addressed",
                target=proposal,
                detail={"added": sorted(added), "removed": sorted(removed)},
            )
    return proposal
