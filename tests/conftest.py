import pytest

from smtpcodes.catalogue.load import load_catalogue


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """One parse cache for the whole run: it is keyed by the catalogue file's size and time, so
    tests cannot see each other's data, and each test no longer pays a full parse of codes.toml.
    Tests about the cache itself give themselves their own directory."""
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def isolated_environment(shared_cache, monkeypatch):
    """No overlay catalogues, colour settings or locale from the environment."""
    monkeypatch.setenv("SMTPCODES_CACHE_DIR", shared_cache)
    for name in ("SMTPCODES_CATALOGUE", "NO_COLOR", "FORCE_COLOR", "SMTPCODES_BIDI",
                 "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()
