import datetime as dt

import pytest

from diurna.dictionary import Dictionary, builtin, load_user_dictionary
from diurna.errors import DictionaryError


def test_a_yaml_user_dictionary_names_roles_by_date(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text(
        "- {name: Lena Varga, aliases: [Varga], country: HUN, sector: GOV, office: Foreign Minister,\n"
        "   start: 2020-01-01, end: 2022-12-31}\n"
        "- {name: Lena Varga, aliases: [Varga], country: HUN, sector: GOV, office: Prime Minister,\n"
        "   start: 2023-01-01, end: null}\n", encoding="utf-8")
    book = load_user_dictionary(path)
    assert book.lookup("Varga", dt.date(2021, 6, 1)).office == "Foreign Minister"
    assert book.lookup("Lena Varga", dt.date(2024, 6, 1)).office == "Prime Minister"


def test_a_csv_user_dictionary_reads_the_same_columns(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("name,aliases,country,sector,office,start,end\n"
                    "Tomas Ruiz,Ruiz;T. Ruiz,ECU,MIL,Army Chief,2019-05-01,\n", encoding="utf-8")
    found = load_user_dictionary(path).lookup("T. Ruiz", dt.date(2020, 1, 1))
    assert (found.code, found.sector) == ("ECU", "MIL")


def test_someone_out_of_office_is_a_former_official():
    book = Dictionary()
    book.load("- {name: Ana Costa, country: PRT, sector: GOV, office: President, start: 2010-01-01, end: 2015-01-01}",
              "inline")
    assert book.lookup("Ana Costa", dt.date(2020, 1, 1)).sector == "ELI"


def test_before_a_persons_first_role_they_hold_no_office_yet():
    before = builtin().lookup("Ishaq Dar", dt.date(2010, 1, 1))
    assert (before.code, before.sector, before.office) == ("PAK", "", "")
    during = builtin().lookup("Ishaq Dar", dt.date(2025, 5, 10))
    assert (during.code, during.sector) == ("PAK", "GOV")


def test_user_entries_win_over_built_in_ones(tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text("- {name: Ishaq Dar, country: PAK, sector: PTY}\n", encoding="utf-8")
    merged = builtin().merge(load_user_dictionary(path))
    assert merged.lookup("Ishaq Dar", dt.date(2025, 5, 21)).sector == "PTY"


def test_the_built_in_dictionary_knows_leaders_and_organisations():
    assert builtin().lookup("Dar", dt.date(2025, 5, 21)).code == "PAK"
    un = builtin().lookup("United Nations")
    assert (un.code, un.sector) == ("UNO", "")
    assert builtin().lookup("foreign ministry").code == ""  # its country comes from the text


@pytest.mark.parametrize("text", ["- {country: PAK}", "- {name: X, country: Pakistan}", "- {name: X, start: yesterday}",
                                  "not: [valid", "- {name: X, start: 2020-01-01, end: 2019-01-01}"])
def test_a_malformed_dictionary_is_a_clear_error(text):
    with pytest.raises(DictionaryError):
        Dictionary().load(text, "inline")
