import pytest

from smtpcodes.catalogue.load import load_catalogue


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    """Each test gets its own parse cache and no overlay catalogues from the environment."""
    monkeypatch.setenv("SMTPCODES_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("SMTPCODES_CATALOGUE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()
