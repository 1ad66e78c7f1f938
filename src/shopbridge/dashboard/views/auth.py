"""Sign in and out with Django auth; django-axes throttles failed sign-ins (see settings)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

login = auth_views.LoginView.as_view(template_name="dashboard/login.html", redirect_authenticated_user=True)
# Django 5 signs out on POST only (a link or image cannot sign a merchant out).
logout = auth_views.LogoutView.as_view()
