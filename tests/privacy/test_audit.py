"""Sensitive actions land in the audit trail, which only administrators see."""

import pytest

from core.models import AuditEntry, Membership
from tests.factories import (
    AuditEntryFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    client.user = admin
    return client


def test_granting_a_role_in_admin_is_audited(admin_client):
    user, organization = UserFactory(), OrganizationFactory()

    response = admin_client.post(
        "/admin/core/membership/add/",
        {"user": user.pk, "organization": organization.pk, "role": "organizer"},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    entry = AuditEntry.objects.get(action="membership.create")
    assert entry.actor == admin_client.user
    assert entry.target_id == str(membership.pk)
    assert entry.detail == {"user": user.pk, "organization": organization.pk, "role": "organizer"}


def test_removing_a_role_in_admin_is_audited(admin_client):
    membership = MembershipFactory()

    response = admin_client.post(f"/admin/core/membership/{membership.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.get(action="membership.delete")
    assert entry.target_id == str(membership.pk)
    assert entry.detail["role"] == "organizer"


def test_bulk_removal_audits_each_role(admin_client):
    memberships = MembershipFactory.create_batch(2)

    admin_client.post(
        "/admin/core/membership/",
        {
            "action": "delete_selected",
            "_selected_action": [m.pk for m in memberships],
            "post": "yes",
        },
    )

    assert AuditEntry.objects.filter(action="membership.delete").count() == 2


def test_organizers_cannot_change_roles_nor_read_the_audit_trail(client):
    organizer = MembershipFactory().user
    client.force_login(organizer)

    assert client.get("/admin/core/membership/").status_code == 403
    assert client.get("/admin/core/auditentry/").status_code == 403


def test_administrators_see_the_audit_trail(admin_client):
    AuditEntryFactory(actor_label="system", action="retention.purge")

    response = admin_client.get("/admin/core/auditentry/")

    assert response.status_code == 200
    assert b"retention.purge" in response.content


def test_paper_list_export_is_audited(client):
    session = SessionFactory()
    organizer = MembershipFactory(organization=session.event.organizer).user
    client.force_login(organizer)

    response = client.get(f"/door/sessions/{session.pk}/paper-list.pdf")

    assert response.status_code == 200
    assert AuditEntry.objects.filter(
        action="paper_list_exported", actor=organizer, target_id=str(session.pk)
    ).exists()
