import pytest

from diurna import nlp, settings
from diurna.errors import InputError, ModelError
from diurna.models import Article


def test_the_model_is_loaded_once_per_process():
    assert nlp.load() is nlp.load()


def test_a_blank_line_always_ends_a_sentence():
    art = Article(id="a", text="Talks resume in Geneva\n\nThe two delegations met on Monday.")
    nlp.annotate([art])
    assert [s.text for s in art.sentences] == ["Talks resume in Geneva", "The two delegations met on Monday."]
    assert all(art.text[s.start:s.end] == s.text for s in art.sentences)


def test_a_missing_model_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("DIURNA_SPACY_MODEL", "no_such_model_xyz")
    with pytest.raises(ModelError, match="no_such_model_xyz"):
        nlp.load()


def test_today_is_fixed_by_the_environment(monkeypatch):
    monkeypatch.setenv("DIURNA_TODAY", "2024-02-29")
    assert settings.today().isoformat() == "2024-02-29"
    monkeypatch.setenv("DIURNA_TODAY", "soon")
    with pytest.raises(InputError):
        settings.today()
