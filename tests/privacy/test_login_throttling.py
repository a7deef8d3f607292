"""django-axes guards the (admin) login: real logins still work, guessing gets locked out."""

import pytest

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_admin_login_works_through_axes(client):
    organizer = MembershipFactory().user

    response = login(client, organizer.username, "pass-word-123")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session.get("_auth_user_id") == str(organizer.pk)


def test_repeated_wrong_passwords_lock_the_login_even_for_the_right_password(client, settings):
    organizer = MembershipFactory().user

    answers = [
        login(client, organizer.username, "wrong").status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers[0] == 200  # the form again, with an error
    assert answers[-1] == 429  # the failure that reaches the limit locks the login
    locked = login(client, organizer.username, "pass-word-123")

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
