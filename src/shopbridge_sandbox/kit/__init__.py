"""Shared emulator machinery: clock, faults, rate limits, webhook delivery, WSGI base, control API."""
