"""The default campaign, belarus-border-2021 (issue 12): clean, true to its brief, and pinned by a golden game.

- It validates with no error and no warning (the covert warnings included).
- Every card and inject cites the paragraph of the brief its content comes from: a table
  below gives, for each paragraph, words it contains, and for each card or inject the
  words of its content; the words must be in the card's text and in a paragraph it
  cites. What goes beyond the brief says so (``scenario addition: ...``) and names the
  paragraph it builds on. When the brief itself is at hand (``TABLETOP_BRIEF``, or the
  session's seed folder), every word of the table is checked against its paragraph.
- The design points of the issue hold in the file (national briefs that differ, Article 4
  signalled then voted, deterrence apart from escalation, a gas threat that needs Russia...).
- A golden bot game with seed 7: ``golden/belarus-seed7.{events,commands}.jsonl``.
  Bots change the game; regenerate after reading it with
  ``TABLETOP_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_belarus_campaign.py``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from engine_helpers import (
    CAMPAIGNS_DIR,
    GOLDEN_DIR,
    BotGame,
    check_state,
    load_bundled,
    run_bot_game,
)

from tabletop.campaign.model import Campaign, Card
from tabletop.campaign.validate import validate_path
from tabletop.engine import Engine, command_to_data, event_to_data
from tabletop.engine import events as E

PATH = CAMPAIGNS_DIR / "belarus-border-2021.yaml"
CITE = "Lorenz (PISM) 2021, "
ADDITION = "scenario addition: "

#: each paragraph of the brief, as cited, with words and phrases it contains
PARAGRAPHS: dict[str, tuple[str, ...]] = {
    "Summary": ("hybrid warfare", "flexible and graduated", "strengthen deterrence"),
    "Opening (mid-November)": (
        "small groups", "2,000-4,000", "border crossing", "fence", "Polish services", "many places",
    ),
    "Strategic, Political, and Military Context, para 1": (
        "without insignia", "stun grenades", "Zapad", "military activity", "number of attempts",
    ),
    "Strategic, Political, and Military Context, para 2": (
        "aggressive intentions", "Russian military presence", "Iskander", "back Russia", "recognition",
        "further restrictions",
    ),
    "Strategic, Political, and Military Context, para 3": (
        "integrate Belarus", "security guarantees", "provoking the border crisis", "airborne", "bombers",
        "100,000", "cut gas", "transmission network", "energy blackmail", "divisions",
    ),
    "Reaction of the Allies, para 1": (
        "state of emergency", "border protection", "airlines", "origin", "through the EU",
    ),
    "Reaction of the Allies, para 2": (
        "hybrid activities", "battlegroups", "defensive potential", "Counter Hybrid Support Teams",
        "collective response", "engineering company", "Estonia", "militarising", "North Atlantic Council",
        "suggested", "taken together",
    ),
    "Reaction of the Allies, para 3": (
        "Secretary General", "threat of Russian aggression against Ukraine", "political cooperation", "Riga",
    ),
    "Conclusions and Recommendations": (
        "pretext", "graduated response plans", "flexible and graduated", "energy blackmail", "division",
        "security guarantees",
    ),
}

#: the words of each card's or inject's content that its cited paragraph must contain
CONTENT: dict[str, str] = {
    # red: Belarus
    "by-steer-small-groups": "small groups",
    "by-officers-without-insignia": "without insignia",
    "by-provocations": "stun grenades",
    "by-large-group": "2,000-4,000",
    "by-many-small-groups": "many places",
    "by-accuse-poland": "aggressive intentions",
    "by-russian-presence": "Russian military presence",
    "by-iskander-nuclear": "Iskander",
    "by-back-russia-ukraine": "back Russia",
    "by-gas-threat": "transmission network",
    "by-seek-recognition": "recognition",
    "by-state-propaganda": "militarising",
    # red: Russia
    "ru-military-activity": "military activity",
    "ru-blame-nato-eu": "provoking the border crisis",
    "ru-militarisation-propaganda": "militarising",
    "ru-airborne-manoeuvres": "airborne",
    "ru-bomber-flights": "bombers",
    "ru-ukraine-signal": "100,000",
    "ru-energy-leverage": "energy blackmail",
    "ru-integration": "integrate Belarus",
    "ru-security-guarantees": "security guarantees",
    "ru-pretext": "pretext",
    # blue: Poland
    "pl-state-of-emergency": "state of emergency",
    "pl-reinforce-border": "border protection",
    "pl-stop-breakthrough": "Polish services",
    "pl-origin-states": "origin",
    "pl-uk-engineers": "engineering company",
    "pl-estonian-company": "Estonia",
    "pl-nac-assessment": "North Atlantic Council",
    "pl-hint-article-4": "suggest",
    "pl-article-4": "taken together",
    # blue: Lithuania
    "lt-state-of-emergency": "state of emergency",
    "lt-reinforce-border": "border protection",
    "lt-invite-chst": "Counter Hybrid Support Teams",
    "lt-collective-response": "collective response",
    "lt-origin-states": "origin",
    # blue: Latvia
    "lv-state-of-emergency": "state of emergency",
    "lv-reinforce-border": "border protection",
    "lv-eu-limit-arrivals": "through the EU",
    "lv-ukraine-stratcom": "threat of Russian aggression against Ukraine",
    # blue: NATO and the EU
    "nato-stratcom": "Secretary General",
    "nato-ukraine-stratcom": "threat of Russian aggression against Ukraine",
    "nato-update-plans": "graduated response plans",
    "nato-step-down": "flexible and graduated",
    "eu-hybrid-attribution": "hybrid activities",
    "eu-airline-sanctions": "airlines",
    "eu-further-restrictions": "further restrictions",
    "eu-energy-resilience": "energy blackmail",
    "eu-nato-coordination": "political cooperation",
    # injects
    "route-surge-2021": "number of attempts",
    "zapad-2021": "Zapad",
    "troops-near-ukraine": "100,000",
    "mid-november-crossing": "2,000-4,000",
    "capitals-differ": "defensive potential",
    "riga-meeting": "Riga",
    "alleged-border-violation": "aggressive intentions",
    "moscow-blames-west": "provoking the border crisis",
    "allied-leaders-statement": "Secretary General",
}


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_bundled(PATH)


def _text(item: object) -> str:
    """Everything a card or inject says, in one string."""
    parts = [getattr(item, k, "") for k in ("title", "flavour", "text")]
    consensus = getattr(item, "consensus", None)
    if consensus is not None:
        parts.append(consensus.prompt)
    return " ".join(parts)


def _cited(source: str) -> list[str]:
    """The paragraphs a source names (a scenario addition names those it builds on)."""
    return [p for p in PARAGRAPHS if p in source]


def _items(campaign: Campaign) -> list[Card | object]:
    return [*campaign.cards, *campaign.injects]


# ---------------------------------------------------------------- clean


def test_it_validates_without_a_single_problem() -> None:
    problems = validate_path(PATH)
    assert [f"{p.severity}: {p.message}" for p in problems] == []


def test_it_is_format_2_and_the_default_campaign(campaign: Campaign) -> None:
    assert campaign.format == 2 and campaign.id == PATH.stem


# ---------------------------------------------------------------- true to the brief


def test_every_source_cites_the_brief_or_says_it_is_an_addition(campaign: Campaign) -> None:
    for item in _items(campaign):
        source = item.source  # type: ignore[attr-defined]
        if source.startswith(ADDITION):
            assert _cited(source), f"{item.id}: a scenario addition names the paragraph it builds on"  # type: ignore[attr-defined]
            continue
        assert source.startswith(CITE), f"{item.id}: {source!r}"  # type: ignore[attr-defined]
        named = [p.strip() for p in source.removeprefix(CITE).split(";")]
        assert named and all(p in PARAGRAPHS for p in named), f"{item.id}: unknown paragraph in {source!r}"  # type: ignore[attr-defined]


def test_every_cited_paragraph_contains_the_content(campaign: Campaign) -> None:
    cited = {item.id: item for item in _items(campaign) if not item.source.startswith(ADDITION)}  # type: ignore[attr-defined]
    assert sorted(cited) == sorted(CONTENT), "the table must list exactly the cards and injects that cite the brief"
    for id_, item in cited.items():
        words = CONTENT[id_].lower()
        assert words in _text(item).lower(), f"{id_} does not say {CONTENT[id_]!r}"
        paragraphs = _cited(item.source)  # type: ignore[attr-defined]
        assert any(words in w.lower() for p in paragraphs for w in PARAGRAPHS[p]), (
            f"{id_} cites {paragraphs}, none of which contains {CONTENT[id_]!r}"
        )


def test_scenario_additions_are_few_and_labelled(campaign: Campaign) -> None:
    additions = [i.id for i in _items(campaign) if i.source.startswith(ADDITION)]  # type: ignore[attr-defined]
    assert additions and len(additions) <= len(_items(campaign)) // 4
    for item in _items(campaign):
        assert "not in the brief" not in item.source.lower()  # type: ignore[attr-defined]  # one way to say it


def _brief() -> dict[str, str] | None:
    """The brief's paragraphs by citation, if the brief is at hand; None otherwise."""
    folder = Path(os.environ.get("TABLETOP_BRIEF", "/work/shared/seed"))
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        return None
    chunks: list[str] = []
    for chunk in re.split(r"\n\s*\n", files[0].read_text(encoding="utf-8")):
        chunk = " ".join(chunk.split())
        if not chunk:
            continue
        if chunks and chunk[0].islower():  # a paragraph broken by a page break
            chunks[-1] += " " + chunk
        else:
            chunks.append(chunk)
    starts = {
        "Summary": "Belarus has forced migrants",
        "Opening (mid-November)": "In mid-November",
        "Strategic, Political, and Military Context, para 1": "Strategic, Political, and Military Context.",
        "Strategic, Political, and Military Context, para 2": "He accused Poland",
        "Strategic, Political, and Military Context, para 3": "Although the Belarusian regime",
        "Reaction of the Allies, para 1": "Reaction of the Allies.",
        "Reaction of the Allies, para 2": "The EU and NATO have both recognised",
        "Reaction of the Allies, para 3": "In response to the security crisis",
        "Conclusions and Recommendations": "Conclusions and Recommendations.",
    }
    return {key: next(c for c in chunks if c.startswith(start)) for key, start in starts.items()}


def test_the_paragraph_table_is_true_to_the_brief() -> None:
    brief = _brief()
    if brief is None:
        pytest.skip("the brief is not at hand (set TABLETOP_BRIEF to its folder)")
    for paragraph, words in PARAGRAPHS.items():
        for w in words:
            assert w.lower() in brief[paragraph].lower(), f"{paragraph} does not contain {w!r}"


# ---------------------------------------------------------------- the design points of issue 12


def test_the_three_border_states_see_the_threat_differently(campaign: Campaign) -> None:
    states = [campaign.actor_by_id[a] for a in ("poland", "lithuania", "latvia")]
    assert all(a.brief and a.objectives and all(o.secret for o in a.objectives) for a in states)
    aims = [tuple(o.when for o in a.objectives) for a in states]
    assert len(set(aims)) == 3
    assert "deterrence" in aims[1][0] and "escalation" in aims[2][0]  # Lithuania deters, Latvia fears escalation


def test_article_4_is_signalled_first_then_voted_together_with_a_price(campaign: Campaign) -> None:
    cards = campaign.card_by_id
    art4, hint, nac = cards["pl-article-4"], cards["pl-hint-article-4"], cards["pl-nac-assessment"]
    assert art4.consensus is not None and art4.consensus.voters == ["poland", "lithuania", "latvia"]
    assert art4.consensus.advisors == ["nato", "eu"] and art4.rationale == "ask"
    assert art4.requires == 'played("pl-hint-article-4")' and hint.requires == 'played("pl-nac-assessment")'
    assert nac.requires is None  # signals first, in order: the NAC, the hint, then the vote
    assert art4.effects.tracks["deterrence"] > 0 and art4.effects.tracks["escalation"] > 0
    assert art4.cost == 1 and art4.effects.resources_of == {"lithuania": -1, "latvia": -1}  # every capital pays
    exposed = next(i for i in campaign.injects if i.id == "hint-without-follow-through")
    assert exposed.when is not None and 'not played("pl-article-4")' in exposed.when
    assert exposed.effects.tracks["cohesion"] < 0


def test_deterrence_and_escalation_are_apart_and_red_pays_against_deterrence(campaign: Campaign) -> None:
    cards = campaign.card_by_id
    for defensive in ("pl-uk-engineers", "pl-estonian-company", "lt-invite-chst"):
        fx = cards[defensive].effects.tracks
        assert fx["deterrence"] > 0 and "escalation" not in fx
    for firm in ("eu-further-restrictions", "nato-battlegroup-readiness", "pl-article-4"):
        assert cards[firm].effects.tracks["escalation"] > 0
    for signal in ("by-iskander-nuclear", "ru-airborne-manoeuvres", "ru-bomber-flights", "ru-military-activity"):
        contest = cards[signal].contest
        assert contest is not None and any(m.of == "deterrence" and m.add < 0 for m in contest.modifiers)
        assert contest.failure.tracks.get("cohesion", 0) > 0  # the allies close ranks
    for propaganda in ("by-accuse-poland",):
        mods = cards[propaganda].contest.modifiers  # type: ignore[union-attr]
        assert {m.if_played for m in mods} >= {"pl-uk-engineers", "pl-estonian-company"}


def test_the_pretext_is_hidden_from_blue_and_war_is_everyone_s_defeat(campaign: Campaign) -> None:
    (pretext,) = campaign.hidden
    assert pretext.id == "pretext_line" and pretext.known_by == ["red"]
    war = campaign.phase_by_id["armed-conflict"]
    assert war.terminal and war.outcome == "lose"
    into_war = [t for t in campaign.phases.transitions if t.dest == "armed-conflict"]
    assert into_war and all("pretext_line" in (t.when or "") for t in into_war)


def test_the_ladder_opens_with_the_plans_and_the_crisis_can_step_down(campaign: Campaign) -> None:
    cards = campaign.card_by_id
    assert cards["nato-update-plans"].effects.tracks == {"plans": 1}
    assert "plans >= 1" in (cards["nato-battlegroup-readiness"].requires or "")
    assert "plans >= 2" in (cards["nato-crisis-response"].requires or "")
    assert 'played("pl-article-4")' in (cards["nato-crisis-response"].requires or "")
    step_down = cards["nato-step-down"]
    assert "plans >= 1" in (step_down.requires or "") and step_down.effects.tracks["escalation"] < 0
    order = [p.id for p in campaign.phases.states]
    down = [t for t in campaign.phases.transitions if order.index(t.dest) < min(order.index(s) for s in t.sources)]
    assert {t.trigger for t in down} >= {"tension_eases", "step_down", "border_restored"}


def test_minsk_and_moscow_want_different_things(campaign: Campaign) -> None:
    minsk, moscow = (campaign.actor_by_id[a] for a in ("belarus", "russia"))
    m = next(o for o in minsk.objectives if o.secret)
    r = next(o for o in moscow.objectives if o.secret)
    assert "integration <= 6" in m.when and "integration >= 7" in r.when  # absorption is Minsk's price
    assert all(o.secret for o in (m, r)) and all(not o.secret for o in (*minsk.objectives, *moscow.objectives) if o not in (m, r))


def test_the_gas_threat_cannot_succeed_without_russia(campaign: Campaign) -> None:
    contest = campaign.card_by_id["by-gas-threat"].contest
    assert contest is not None and contest.target is not None
    energy = campaign.track_by_id["energy"]
    best = 12 + sum(m.add * (energy.max // m.per) if m.per else m.add for m in contest.modifiers if m.add > 0)
    without = best + sum(m.add for m in contest.modifiers if m.when == 'not played("ru-energy-leverage")')
    assert without < contest.target <= best


def test_resilience_comes_before_winter_and_energy_weighs_on_collective_missions(campaign: Campaign) -> None:
    cards = campaign.card_by_id
    assert cards["eu-energy-resilience"].requires == "round <= 6"
    winter = next(i for i in campaign.injects if i.id == "heating-season")
    assert winter.round == 7 and winter.effects.tracks["energy"] > 0
    for mission in ("nato-battlegroup-readiness", "nato-crisis-response"):
        mods = cards[mission].contest.modifiers  # type: ignore[union-attr]
        assert any(m.of == "energy" and m.add < 0 for m in mods)


def test_nato_and_the_eu_are_two_seats_that_coordinate_by_agreeing(campaign: Campaign) -> None:
    blue = campaign.side_by_id["blue"]
    assert [a.id for a in blue.actors] == ["poland", "lithuania", "latvia", "nato", "eu"]
    coordination = campaign.card_by_id["eu-nato-coordination"].consensus
    assert coordination is not None and sorted(coordination.voters) == ["eu", "nato"]


def test_political_capital_is_scarce(campaign: Campaign) -> None:
    blue = campaign.side_by_id["blue"]
    assert all(a.income == 1 and a.resources <= 4 for a in blue.actors)
    costs = [c.cost for c in campaign.cards if c.side == "blue"]
    assert sum(costs) / len(costs) >= 1.3  # more to buy than a round's income


# ---------------------------------------------------------------- the golden game

SEED = 7
EVENTS_FILE = GOLDEN_DIR / "belarus-seed7.events.jsonl"
COMMANDS_FILE = GOLDEN_DIR / "belarus-seed7.commands.jsonl"
REGEN = "TABLETOP_REGEN_GOLDEN"
HOW = f"If the change is intended, regenerate with {REGEN}=1 .venv/bin/python -m pytest {Path(__file__).name} and read the diff."


def _line(data: object) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def engine(campaign: Campaign) -> Engine:
    return Engine(campaign)


@pytest.fixture(scope="module")
def game(engine: Engine) -> BotGame:
    game = run_bot_game(engine, SEED, "heuristic")
    if os.environ.get(REGEN) == "1":
        EVENTS_FILE.write_text("".join(_line(event_to_data(e)) + "\n" for e in game.events), encoding="utf-8")
        COMMANDS_FILE.write_text(
            "".join(_line({"seq": seq, "command": command_to_data(c)}) + "\n" for seq, c in game.commands),
            encoding="utf-8",
        )
    return game


def _first_difference(name: str, got: list[str], want: list[str]) -> str:
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return f"{name} differ at line {i + 1}:\n  golden: {b}\n  now:    {a}\n{HOW}"
    return f"{name}: {len(got)} lines now, {len(want)} in the golden file.\n{HOW}"


def test_the_bots_play_the_golden_game(game: BotGame, engine: Engine) -> None:
    for path in (EVENTS_FILE, COMMANDS_FILE):
        if not path.exists():
            pytest.fail(f"{path.name} is missing. {HOW}")
    got = [_line(event_to_data(e)) for e in game.events]
    want = EVENTS_FILE.read_text(encoding="utf-8").splitlines()
    assert got == want, _first_difference("events", got, want)
    got_cmds = [_line({"seq": seq, "command": command_to_data(c)}) for seq, c in game.commands]
    want_cmds = COMMANDS_FILE.read_text(encoding="utf-8").splitlines()
    assert got_cmds == want_cmds, _first_difference("commands", got_cmds, want_cmds)
    assert isinstance(game.events[-1], E.GameEnded) and game.state is not None
    check_state(engine, game.state)


def test_the_golden_game_is_an_exercise(game: BotGame) -> None:
    """The golden game uses what the campaign is about: votes with reasons, hidden plays, both ways on the ladder."""
    types = [type(e).__name__ for e in game.events]
    assert "VoteOpened" in types or "VoteCast" in types or any("Vote" in t for t in types)
    assert any(isinstance(e, E.PhaseChanged) for e in game.events)
    state = game.state
    assert state is not None and state.outcome is not None
    assert any(p.covert for p in state.plays)


def test_a_band_label_that_names_an_objective_shows_only_where_the_objective_holds(campaign: Campaign) -> None:
    """The gauge's band must not contradict the objectives: "Border 5 Under control" beside
    "Keep the border under control (integrity 6 or more) — not yet" did (a threshold under
    a track's start names the band at and below it, so "Under control" at 5 covered 5 and 4)."""
    objectives = [o for s in campaign.sides for o in s.objectives] + [
        o for s in campaign.sides for a in s.actors for o in a.objectives
    ]
    checked = 0
    for track in campaign.tracks:
        for o in objectives:
            condition = campaign.condition(o.when) if o.when else None
            if condition is None or set(condition.names) != {track.id}:
                continue
            for value in range(track.min, track.max + 1):
                band = track.band(value)
                if band is not None and band.label.lower() in o.title.lower():
                    checked += 1
                    assert condition.evaluate({track.id: value}), (track.id, value, band.label, o.title)
    assert checked, "no band label names an objective: the test checks nothing"
    border = next(t for t in campaign.tracks if t.id == "border")
    assert border.band(5) is not None and border.band(5).label == "Under strain"
    assert border.band(6) is None  # 6 and 7: the ordinary range, under control
