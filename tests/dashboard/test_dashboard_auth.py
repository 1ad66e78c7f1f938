"""Signing in: Django auth, lockout after repeated failures (django-axes), CSRF on every POST."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _login(client, password: str):
    return client.post("/login/", {"username": "acme", "password": password})


def test_signing_in_opens_the_home_page_for_the_users_merchant(client, merchant):
    response = _login(client, "correct-horse-9")

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert b"Acme Outfitters" in home.content


def test_a_wrong_password_shows_the_form_again_without_signing_in(client, merchant):
    response = _login(client, "wrong")

    assert response.status_code == 200
    assert b"didn't match" in response.content
    assert "_auth_user_id" not in client.session


def test_pages_redirect_anonymous_visitors_to_sign_in(client, merchant):
    response = client.get("/orders/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/orders/"


def test_repeated_failures_lock_out_even_the_right_password(client, merchant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(client, "guess")

    response = _login(client, "correct-horse-9")

    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_still_allow_signing_in(client, merchant, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "guess")

    response = _login(client, "correct-horse-9")

    assert response.status_code == 302


def test_sign_in_without_a_csrf_token_is_refused():
    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/login/", {"username": "acme", "password": "correct-horse-9"})

    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session


def test_sign_out_without_a_csrf_token_is_refused_and_keeps_the_session(merchant):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(merchant.memberships.get().user, backend="django.contrib.auth.backends.ModelBackend")

    response = strict.post("/logout/")

    assert response.status_code == 403
    assert strict.get("/").status_code == 200


def test_sign_out_with_the_form_token_ends_the_session(merchant):
    browser = Client(enforce_csrf_checks=True)
    form = browser.get("/login/")
    token = form.cookies["csrftoken"].value
    browser.post("/login/", {"username": "acme", "password": "correct-horse-9", "csrfmiddlewaretoken": token})
    token = browser.cookies["csrftoken"].value

    response = browser.post("/logout/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert browser.get("/").status_code == 302


def test_a_user_without_a_merchant_is_refused(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="operator", password="pw-123456789")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get("/").status_code == 403
