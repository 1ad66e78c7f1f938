"""Faithful TikTok Shop Partner API emulator (see COVERAGE.md). Entry point: ``app.create_emulator``."""
