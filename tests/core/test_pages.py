import pytest

pytestmark = pytest.mark.django_db


def test_health_check_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("language", "direction", "expected"),
    [("fr", "ltr", 'lang="fr"'), ("ar", "rtl", 'lang="ar"'), ("en", "ltr", 'lang="en"')],
)
def test_home_page_in_each_language_with_direction(client, language, direction, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert expected in html
    assert f'dir="{direction}"' in html


def test_french_is_the_default_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert 'lang="fr"' in response.content.decode()


def test_pages_carry_a_content_security_policy(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_favicon_is_a_real_icon_linked_from_the_pages(client):
    import io

    from PIL import Image

    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as icon:
        assert icon.format == "ICO"
        assert (32, 32) in icon.info["sizes"]
    assert 'rel="icon" href="/static/core/favicon.ico"' in client.get("/").content.decode()
