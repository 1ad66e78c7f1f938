def test_settings_load(settings):
    assert settings.DATABASES["default"]["ENGINE"]
