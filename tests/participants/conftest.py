import pytest

from tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def organizer(client, organization):
    """A member of `organization`, logged in on `client`."""
    user = MembershipFactory(organization=organization).user
    client.force_login(user)
    return user
