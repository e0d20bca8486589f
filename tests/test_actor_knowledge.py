"""Actor knowledge from the PETRARCH2 dictionaries and from the article: officeholders by date,
transnational militant groups, role nouns, later mentions, patrons and coalitions, the build script."""
from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from according.extract.actors import ActorLexicon, actor_for_span, extract_actors, set_published
from according.extract.actors.lexicon import Role, petrarch_entries, role_on
from according.lexicons import build_petrarch

from conftest import shared_path


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return ActorLexicon.load()


def _actor(doc, words: str, lexicon: ActorLexicon, *, occurrence: int = 0, **options):
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(words, start + 1)
    span = doc.char_span(start, start + len(words), alignment_mode="expand")
    return actor_for_span(span, lexicon, **options)


# --- officeholders resolved by the article's date -------------------------------------------------

def test_officeholder_takes_the_role_held_on_the_published_date(nlp, lexicon):
    # Ann Veneman: US agriculture secretary 2001-2005, then head of UNICEF (PETRARCH2's dated roles)
    doc = nlp("Ann Veneman visited the flooded villages on Tuesday.")
    set_published(doc, "2003-06-01")
    early = _actor(doc, "Ann Veneman", lexicon)
    set_published(doc, "2007-03-01")
    late = _actor(doc, "Ann Veneman", lexicon)
    assert (early.country, early.sector) == ("USA", "GOV")
    assert (late.country, late.sector) == ("UNO", "IGO")


def test_an_explicit_date_overrides_the_published_one_and_no_date_gives_the_latest_role(nlp, lexicon):
    doc = nlp("Ann Veneman visited the flooded villages on Tuesday.")
    assert _actor(doc, "Ann Veneman", lexicon).country == "UNO"  # no date: the latest role
    set_published(doc, "2007-03-01")
    assert _actor(doc, "Ann Veneman", lexicon, on="2002-02-02").country == "USA"


def test_role_on_covers_defaults_and_former_officeholders():
    roles = (Role("ESP", "ELI", "19800101", "19950630"), Role("ESP", "GOV", "19950701", "19991231"))
    assert role_on(roles, "19970101") == Role("ESP", "GOV", "19950701", "19991231")
    assert role_on(roles, "20100101") == Role("ESP", "ELI")           # after the last role: a former officeholder
    assert role_on(roles + (Role(None, "ELI"),), "20100101").country == "ESP"  # a default without a country
    assert role_on(roles, "19500101") == Role("ESP", None)             # before any role: the country only


# --- groups, role nouns and the dictionaries' names ---------------------------------------------

@pytest.mark.parametrize("text", ["Islamic State fighters", "Isis", "the jihadists of al-Qaida", "Daesh"])
def test_transnational_militant_groups_are_img(nlp, lexicon, text):
    actor = actor_for_span(nlp(text)[:], lexicon)
    assert actor is not None and actor.country == "IMG"


@pytest.mark.parametrize("text", ["the Red Cross", "Amnesty International", "Human Rights Watch"])
def test_international_ngos_are_international_bodies(nlp, lexicon, text):
    # coded as the PLOVER records and the real-news guidelines code them: IGO, sector NGO
    actor = actor_for_span(nlp(text)[:], lexicon)
    assert actor is not None and (actor.country, actor.sector) == ("IGO", "NGO")


def test_a_national_red_crescent_society_is_not_international(nlp, lexicon):
    actor = actor_for_span(nlp("the Red Crescent")[:], lexicon)
    assert actor is not None and actor.country != "IGO"


@pytest.mark.parametrize("text, country", [
    ("the Nusra Front", "SYR"),
    ("the YPG", "SYR"),                 # groups of the conflicts since 2014, which PETRARCH2 predates
    ("Asaib Ahl al-Haq", "IRQ"),
])
def test_a_local_armed_group_takes_its_country(nlp, lexicon, text, country):
    actor = actor_for_span(nlp(text)[:], lexicon)
    assert (actor.country, actor.sector) == (country, "REB")


@pytest.mark.parametrize("text, sector", [
    ("the local sheriff", "COP"),       # role nouns from PETRARCH2's agents dictionary
    ("a magistrate", "JUD"),
    ("two shopkeepers", "CVL"),
])
def test_role_nouns_from_the_agents_dictionary_give_the_sector(nlp, lexicon, text, sector):
    actor = actor_for_span(nlp(text)[:], lexicon)
    assert actor is not None and actor.sector == sector


# --- what the article tells ---------------------------------------------------------------------

def test_a_later_office_mention_keeps_the_country_of_the_full_mention(nlp, lexicon):
    doc = nlp("Peruvian President Ana Quispe flew to Quito on Monday. The president met her hosts there.")
    actor = _actor(doc, "The president", lexicon)
    assert actor is not None and (actor.country, actor.sector) == ("PER", "GOV")


def test_a_later_surname_keeps_the_country_of_the_full_mention(nlp, lexicon):
    doc = nlp("Chilean Interior Minister Tomas Ortega spoke on Friday. Ortega said the roads were open.")
    actor = _actor(doc, "Ortega", lexicon, occurrence=1)
    assert actor is not None and actor.country == "CHL"


def test_the_doc_s_parties_include_a_led_coalition_but_not_led_talks(nlp, lexicon):
    found = {a.text: a.country for a in extract_actors(nlp("The Saudi-led coalition struck the port on Monday."), lexicon)}
    assert found.get("The Saudi-led coalition") == "IGO", found
    talks = {a.text: a.country for a in extract_actors(nlp("The US-led talks stalled on Monday."), lexicon)}
    assert all(country != "IGO" for country in talks.values()), talks


def test_a_backer_is_not_the_party_and_a_led_coalition_is_international(nlp, lexicon):
    doc = nlp("A Saudi-led coalition bombed the port of Hodeidah in Yemen. The coalition said "
              "Emirati-backed militias held the port, and Yemen's government agreed.")
    assert _actor(doc, "A Saudi-led coalition", lexicon).country == "IGO"
    assert _actor(doc, "The coalition", lexicon).country == "IGO"      # refers back to the coalition
    backed = _actor(doc, "Emirati-backed militias", lexicon)
    assert backed is None or backed.country != "ARE"


def test_an_unplaced_local_party_takes_the_country_the_article_is_about(nlp, lexicon):
    doc = nlp("Shelling hit Aleppo on Sunday. Syria said Damascus would not yield, and Syrian officials "
              "blamed rebels. Civilians fled the city as Kurdish fighters arrived.")
    assert _actor(doc, "Civilians", lexicon).country == "SYR"
    kurds = _actor(doc, "Kurdish fighters", lexicon)
    assert kurds is not None and kurds.country == "SYR"


def test_an_unplaced_people_is_where_the_story_happens_not_where_it_is_told_from(nlp, lexicon):
    """A story about Washington's policy in Syria names the US most, but Kurdish forces are in Syria."""
    text = ("Washington said US troops would stay in Syria. The US defence secretary said the US would keep "
            "bases in Raqqa, in northern Syria, and in Deir ez-Zor. American officials met in Washington. "
            "Kurdish forces welcomed the decision.")
    doc = nlp(text)
    kurds = _actor(doc, "Kurdish forces", lexicon)
    assert kurds is not None and kurds.country == "SYR"
    officials = _actor(doc, "American officials", lexicon)
    assert officials is not None and officials.country == "USA"


def test_no_home_country_when_none_dominates(nlp, lexicon):
    doc = nlp("France and Germany argued. Civilians protested.")
    actor = _actor(doc, "Civilians", lexicon)
    assert actor is None or actor.country is None


# --- the build script ---------------------------------------------------------------------------

COUNTRIES = """\
# a hand-made sample in the PETRARCH2 format
ATLANTIS_  [ESP]
+ATLANTEAN_
+POSEIDONIA_

POLA_VENTO_  # CountryInfo.txt
+VENTO_
\t[ESPELI 800101-950630]
\t[ESPGOV >950701]

ATLANTEAN_COAST_GUARD
\t[ESPMIL]

MARINA_SOLER_QUINTANA_  # CountryInfo.txt
\t[ESPGOV >990101]
"""
INTERNATIONAL = """\
LEAGUE_OF_ISLANDS_ [IGOWSTLOI]
+LOI
FRIENDS_OF_THE_REEF_ [NGOENV]
"""
MILNONSTATE = """\
BROTHERHOOD_OF_THE_WAVE
+THE_WAVE_BROTHERS
\t[IMGMUSWAV]
"""
AGENTS = """\
!PERSON! = MAN, MEN, WOMAN, WOMEN
HARBOUR!PERSON! [~CVL]
LIGHTHOUSE_KEEPER [~GOVBUS]
"""


def _sample_dictionaries(folder: Path) -> Path:
    folder.mkdir()
    (folder / "Phoenix.Countries.actors.txt").write_text(COUNTRIES, encoding="utf-8")
    (folder / "Phoenix.International.actors.txt").write_text(INTERNATIONAL, encoding="utf-8")
    (folder / "Phoenix.MilNonState.actors.txt").write_text(MILNONSTATE, encoding="utf-8")
    (folder / "Phoenix.agents.txt").write_text(AGENTS, encoding="utf-8")
    return folder


def test_build_script_converts_codes_dates_and_kinds(tmp_path):
    source = _sample_dictionaries(tmp_path / "petrarch2")
    out = tmp_path / "out"
    out.mkdir()
    assert build_petrarch.main([str(source), "--out", str(out)]) == 0
    lines = (out / "actor_petrarch.tsv").read_text(encoding="utf-8").splitlines()
    entries = dict(petrarch_entries(lines, "sample"))
    assert entries["Atlantis"].kind == "country" and entries["Poseidonia"].kind == "city"
    vento = entries["Pola Vento"]
    assert (vento.kind, vento.country, vento.sector) == ("person", "ESP", "GOV")
    assert vento.on("1990-01-01").sector == "ELI"
    assert entries["Vento"].country == "ESP"                    # her surname, from her own record
    assert (entries["Atlantean Coast Guard"].country, entries["Atlantean Coast Guard"].sector) == ("ESP", "MIL")
    assert (entries["League Of Islands"].country, entries["LOI"].sector) == ("IGO", "IGO")
    assert entries["Wave Brothers"].country == "IMG"           # "The ..." is also entered without it
    assert (entries["Friends Of The Reef"].country, entries["Friends Of The Reef"].sector) == ("IGO", "NGO")
    assert entries["Marina Soler"].country == "ESP"            # two surnames: news often drops the second
    agents = (out / "actor_petrarch_agents.tsv").read_text(encoding="utf-8")
    assert "harbourmen\tCVL" in agents and "lighthouse keepers\tGOV" in agents


def test_build_script_refuses_a_folder_without_the_dictionaries(tmp_path):
    with pytest.raises(SystemExit, match="not a PETRARCH2 dictionary folder"):
        build_petrarch.main([str(tmp_path)])


def test_packaged_lexicon_is_what_the_build_script_makes(tmp_path):
    source = shared_path("data", "petrarch2")
    build_petrarch.main([str(source), "--out", str(tmp_path)])
    packaged = Path(build_petrarch.__file__).resolve().parent
    for name in ("actor_petrarch.tsv", "actor_petrarch_agents.tsv"):
        assert filecmp.cmp(tmp_path / name, packaged / name, shallow=False), f"{name} is stale: rebuild it"
