"""The words the screens use: effect summaries, waiting lines, reflowed briefings."""

from __future__ import annotations

from tabletop.campaign.validate import LoadedCampaign
from tabletop.engine.rules import Engine
from tabletop.tui.chronicle import Chronicle
from tabletop.campaign.model import Modifier
from tabletop.tui.text import card_detail_lines, card_summary, modifier_words, reflow, shorten, waiting_text
from tabletop.tui.widgets.tracks import bar_cells, delta_text


def test_card_summaries(tutorial: LoadedCampaign) -> None:
    engine = Engine(tutorial.campaign)
    cards = engine.cards
    assert card_summary(engine, cards["troll-posts"]) == "Public trust -1 · Tension +1"
    assert card_summary(engine, cards["bot-swarm"]) == "dice 2d6, 8 or more succeeds"
    assert card_summary(engine, cards["press-conference"]) == "facilitator rules"
    assert card_summary(engine, cards["joint-patrol"]).endswith("vote: Veldia and Ostrand")
    assert card_summary(engine, cards["anchor-drag"]).endswith("· covert")
    assert card_summary(engine, cards["all-clear"]) == "may move to All clear"  # only from Crisis, if ...
    assert "Northmark resources -1" in card_summary(engine, cards["diplomatic-note"])


def test_waiting_lines(new_session) -> None:  # type: ignore[no-untyped-def]
    session = new_session(journal=False)
    view = session.view("observer")
    assert waiting_text(session.engine, view) == "Waiting for: Northmark's turn"
    assert waiting_text(session.engine, view, lambda seat: True) == "Waiting for: the turn of Northmark (bot)"  # not "(bot)'s"


def test_the_public_chronicle_keeps_covert_plays_hidden(new_session) -> None:  # type: ignore[no-untyped-def]
    from tabletop.engine import commands as C

    session = new_session(journal=False)
    chronicle = Chronicle(session.engine)
    session.add_listener(chronicle.feed, "observer", replay=True)
    session.submit_now(C.PlayCard("northmark", "anchor-drag"))
    text = "\n".join(line.text for line in chronicle.lines)
    assert "A covert action was taken (#1)." in text
    assert "Trawler" not in text and "anchor" not in text.lower()


def test_bars_and_deltas(tutorial: LoadedCampaign) -> None:
    tension = tutorial.campaign.track_by_id["tension"]  # 0..10, thresholds at 4 and 7
    cells = bar_cells(tension, 5, 10)
    kinds = [kind for _, kind in cells]
    assert kinds[:5] == ["fill"] * 5  # no mark inside the fill: the crossed threshold at 4 is not drawn
    assert kinds[6] == "mark" and kinds.count("mark") == 1  # the one ahead, at 7, is
    assert (delta_text(2), delta_text(-1), delta_text(0)) == ("▲2", "▼1", "")


def test_names_shorten_to_fit_but_the_current_one() -> None:
    names = shorten(["Baseline", "Hybrid pressure", "Border crisis", "Armed conflict"], 1, 40, 3)
    assert names[1] == "Hybrid pressure"
    assert sum(map(len, names)) + 3 * 3 <= 40


def test_reflow_undoes_hard_line_breaks() -> None:
    text = "One long\nsentence.\n\nTHE BOARD\n- item one\n  goes on\n- item two\n1. first\n2. second"
    assert reflow(text) == "One long sentence.\n\nTHE BOARD\n- item one goes on\n- item two\n1. first\n2. second"


def test_a_roll_told_only_by_its_outcome_says_so_in_words() -> None:
    from tabletop.tui.chronicle import Roll
    from tabletop.tui.widgets.dice import roll_content

    hidden = Roll("Veldia attributes #2 to Northmark", (), 6, (), 0, 0, True, "the attribution holds", "attribution")
    text = roll_content(hidden).plain
    assert "The roll is not shown to you (it would tell which card it was): the attribution holds." in text
    assert "Dice" not in text and "Total" not in text and " 0" not in text
    contest = Roll("Northmark's covert action (#3)", (), 6, (), 0, 0, False, "failure", "contest")
    text = roll_content(contest).plain
    assert "The roll is not shown to you" in text and "it fails." in text
    assert "Total" not in text and " 0" not in text
    shown = Roll("Bot swarm (#3)", (4, 5), 6, (("Doubt", 1),), 10, 8, True, "success")
    assert "Total  10 (8 or more succeeds)  SUCCESS" in roll_content(shown).plain


def test_a_roll_kept_back_after_the_card_is_named_does_not_say_it_hides_the_card(tutorial: LoadedCampaign) -> None:
    """The board names a revealed card: a roll still told only by its outcome (its modifiers
    read a hidden value) must say another reason than "it would tell which card it was"."""
    from tabletop.engine import events as E
    from tabletop.journal import Entry
    from tabletop.tui.chronicle import Chronicle
    from tabletop.tui.widgets.dice import roll_content

    chronicle = Chronicle(Engine(tutorial.campaign))
    hidden = E.AttributionAttempted(1, "veldia", "northmark", (), (), 0, 0, True, None, 1)
    revealed = E.CovertRevealed(1, "anchor-drag", "northmark", "attributed")
    chronicle.feed([Entry(1, 1, "crisis", "veldia", None, hidden), Entry(2, 1, "crisis", "veldia", None, revealed)])
    [roll] = chronicle.take_rolls()
    text = roll_content(roll).plain
    assert "The roll is not shown to you (it counts something hidden from you): the attribution holds." in text
    assert "which card" not in text


def test_modifiers_say_when_they_apply(tutorial: LoadedCampaign) -> None:
    engine = Engine(tutorial.campaign)
    played = Modifier(add=1, if_played="joint-patrol")
    assert modifier_words(engine, played) == f"+1 if the {engine.cards['joint-patrol'].title} card was played"
    when = Modifier(add=-2, when="tension >= 6", label="Nervous markets")
    assert modifier_words(engine, when) == "Nervous markets: -2 if Tension is at least 6"
    per = Modifier(add=1, per=2, of="trust")
    assert modifier_words(engine, per) == "+1 for every 2 Public trust"
    # play-test: "(+1 (Witnesses come forward) for every 2 Public trust)", a bracket in a bracket
    card = next(c for c in tutorial.campaign.cards if c.contest is not None and c.contest.by == "dice")
    labelled = Modifier(add=1, per=2, of="trust", label="Witnesses come forward")
    assert card.contest is not None
    contest = card.contest.model_copy(update={"modifiers": (labelled,)})
    lines = card_detail_lines(engine, card.model_copy(update={"contest": contest}))
    said = next(line for line in lines if line.startswith("Contest:"))
    assert said.endswith("(Witnesses come forward: +1 for every 2 Public trust)."), said
    assert "(+1 (" not in said


def test_card_rules_are_words_for_every_bundled_card() -> None:
    """No operator and no raw id in what the card detail pane says, for every bundled card."""
    import re

    from tabletop.campaign.bundled import bundled_campaigns
    from tabletop.campaign.validate import load_campaign

    for path in bundled_campaigns():
        campaign = load_campaign(path).campaign
        engine = Engine(campaign)
        ids = {t.id for t in campaign.tracks} | {c.id for c in campaign.cards} | set(engine.actors)
        ids |= {p.id for p in campaign.phases.states}
        names = " ".join([t.name for t in campaign.tracks] + [c.title for c in campaign.cards]).lower()
        raw = {i for i in ids if ("_" in i or "-" in i) and i.lower() not in names}
        for card in campaign.cards:
            text = "\n".join([card_summary(engine, card), *card_detail_lines(engine, card)])
            assert not re.search(r">=|<=|==|!=", text), (path.name, card.id, text)
            leaked = {i for i in raw if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)}
            assert not leaked, (path.name, card.id, leaked, text)
            bare = text
            for t in campaign.tracks:
                bare = bare.replace(t.name, "")
            for t in campaign.tracks:  # "border -2" beside a gauge called "Border integrity"
                assert not re.search(rf"(?i)(?<![\w-]){re.escape(t.id.replace('_', ' '))} [+-]\d", bare), (card.id, text)


def test_the_hand_title_counts_the_objectives_met_and_shortens_to_fit() -> None:
    from tabletop.tui.text import hand_title

    full = hand_title("Latvia", 3, 1, 80, (1, 3))
    assert full == "Latvia · ◆3 resources · 1 action left · 1 of 3 objectives met (b)"
    assert hand_title("Latvia", 3, 1, 40, (1, 3)) == "Latvia · ◆3 · 1 left · 1/3 met"  # the count stays
    assert hand_title("Latvia", 3, 1, 25, (1, 3)) == "Latvia · ◆3 · 1 left"
    assert hand_title("Latvia", 1, None, 80, (0, 0)) == "Latvia · ◆1 resource"


def test_a_watching_seat_is_not_told_to_press_f(new_session) -> None:  # type: ignore[no-untyped-def]
    from tabletop.tui.text import next_step_hint

    view = new_session(journal=False).view("observer")
    watcher = next_step_hint(view, lambda s: False, lambda: False, facilitator_here=False)
    evaluator = next_step_hint(view, lambda s: False, lambda: False, facilitator_here=False, observes=True)
    assert "press f" not in watcher.lower() and "o to record an observation" in evaluator
    assert "press f" in next_step_hint(view, lambda s: False, lambda: False).lower()


def test_a_shortened_phrase_ends_on_a_word_that_says_something() -> None:
    """One rule for every line shortened this way (the played list, the gauges' 'a rise helps')."""
    from tabletop.tui.text import shorten_phrase

    assert shorten_phrase("a rise helps Border states and the Alliance", 36) == "a rise helps Border states…"
    assert shorten_phrase("Deepfake of the mayor", 18) == "Deepfake…"
    assert shorten_phrase("Troll farm posts", 30) == "Troll farm posts"
