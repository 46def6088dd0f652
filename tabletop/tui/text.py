"""Words for the screens: effect summaries, names, waiting lines, dice faces.

Plain functions over the campaign's public data and a seat's :class:`View`; no Textual,
so they are easy to test and the same sentences can serve a later web or report view.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from tabletop.campaign.explain import condition_words, trigger_name, trigger_promise
from tabletop.campaign.model import Card, Effects, Modifier
from tabletop.engine.commands import FACILITATOR
from tabletop.engine.grammar import dice_test, in_sentence, succeeds_from
from tabletop.engine.narrate import (
    and_list,
    awaited_names,
    day,
    first_words,
    must_agree,
    noted,
    seat_name,
    signed,
    whose,
)
from tabletop.engine.rules import Engine
from tabletop.engine.views import View
from tabletop.journal.clock import ClockReading

__all__ = ["and_list", "seat_name", "succeeds_from"]  # re-exported: the screens' names come from the engine's wording

#: Side ids that name a colour get it; other sides take these in order.
_ACCENTS = ("red", "blue", "green", "orange", "purple", "cyan")
_DIE_FACES = "⚀⚁⚂⚃⚄⚅"


#: ``2031-03-02`` -> ``2 Mar 2031``: the in-game date as the log writes it.
nice_date = day


def accent_class(engine: Engine, side: str | None) -> str:
    """The CSS class carrying a side's accent colour (``side-red``, ``side-blue``, ...)."""
    if side is None:
        return "side-none"
    if side in _ACCENTS:
        return f"side-{side}"
    ids = [s.id for s in engine.campaign.sides]
    free = [a for a in _ACCENTS if a not in ids]
    index = ids.index(side) if side in ids else 0
    return f"side-{free[index % len(free)]}" if free else "side-none"


def track_label(engine: Engine, track: str) -> str:
    """The track's name, as its gauge shows it (``Border integrity``)."""
    return engine.value_name(track)


def modifier_words(engine: Engine, m: Modifier) -> str:
    """A dice modifier and when it applies, in words: ``+1 if the Airline sanctions card was
    played``, ``Deterrence: -2 if Deterrence is at least 6``, ``Witnesses come forward: +1
    for every 2 Public trust``. Its label leads, so that no bracket sits in another where
    the card lists its modifiers in brackets."""
    label = f"{m.label}: " if m.label else ""
    when = []
    if m.if_played is not None:
        card = engine.cards.get(m.if_played)
        when.append(f"if the {card.title if card else m.if_played} card was played")
    if m.when:
        when.append(f"if {condition_text(engine, m.when)}")
    if m.per is not None and m.of is not None:
        each = engine.value_name(m.of)
        when.insert(0, f"for every {m.per} {each}" if m.per > 1 else f"for every point of {each}")
    return f"{label}{signed(m.add)}" + (" " + " and ".join(when) if when else "")


def effects_parts(engine: Engine, fx: Effects | Mapping[str, Any], *, actor_word: str = "you") -> list[str]:
    """``["Border integrity -2", "Escalation +1", "draw 1"]`` for some effects (empty if none)."""
    if not isinstance(fx, Effects):
        fx = Effects.model_validate(dict(fx))
    parts = [f"{track_label(engine, t)} {signed(d)}" for t, d in fx.tracks.items()]
    if fx.resources:
        parts.append(f"resources {signed(fx.resources)}")
    for who, d in fx.resources_of.items():
        parts.append(f"{seat_name(engine, who)} resources {signed(d)}")
    if fx.draw:
        parts.append(f"draw {fx.draw}")
    for who, n in fx.discard.items():
        parts.append(f"{seat_name(engine, who)} discards {n}")
    if fx.reveal:
        parts.append(f"reveals {fx.reveal} covert play{'s' if fx.reveal != 1 else ''}")
    if fx.trigger:  # a trigger moves the crisis only from some phases, under conditions: "may"
        dests = [
            engine.phase_name(t.dest) for t in engine.campaign.phases.transitions if t.trigger == fx.trigger
        ]
        parts.append(f"may move to {'/'.join(dict.fromkeys(dests))}" if dests else f"fires {trigger_name(fx.trigger)}")
    return parts


def trigger_title(trigger: str) -> str:
    """A phase trigger as a heading: ``mass_crossing`` -> ``Mass crossing``."""
    name = trigger_name(trigger)
    return name[:1].upper() + name[1:]


def trigger_lines(engine: Engine, fx: Effects, phase: str | None, lead: str = "Phase", unmet: str = "") -> list[str]:
    """``Phase: may move the crisis from Border crisis to Military tension, if …`` for effects
    that fire a trigger (none otherwise); says so when it cannot fire from ``phase`` (now),
    and, with ``unmet`` (the engine's why, :meth:`Session.unmet_triggers
    <tabletop.session.Session.unmet_triggers>`), that its condition is not met now."""
    if not fx.trigger:
        return []
    now = f" Its condition is not met now: {unmet}." if unmet else ""
    return [f"{lead}: {trigger_promise(engine.campaign, fx.trigger, phase)}.{now}"]


def effects_text(engine: Engine, fx: Effects | Mapping[str, Any]) -> str:
    return " · ".join(effects_parts(engine, fx)) or "no effect"


def card_summary(engine: Engine, card: Card) -> str:
    """One line: ``border -2 · escalation +1 · dice 2d6, 8 or more succeeds``."""
    parts = effects_parts(engine, card.effects)
    if card.contest is not None:
        if card.contest.by == "dice":
            target = card.contest.target if card.contest.target is not None else 7
            parts.append(f"dice {dice_test(card.contest.dice, target)}")
        else:
            parts.append("facilitator rules")
    if card.consensus is not None:
        parts.append("vote: " + and_list([in_sentence(seat_name(engine, v)) for v in dict.fromkeys(card.consensus.voters)]))
    if card.covert is not None:
        parts.append("covert?" if card.covert.optional else "covert")
    return " · ".join(parts) or "no effect"


#: how a play's contest stands, with its style: a pending one by who decides it
_CONTEST_MARKS = {
    "dice": ("⚄ pending", "$warning"),  # a die: the dice decide it
    "facilitator": ("⚖ awaits ruling", "$warning"),  # the scales: the facilitator rules
    "success": ("✓ success", "$success"),
    "failure": ("✗ failure", "$error"),
}


def contest_mark(card: Card, contest: str | None) -> tuple[str, str] | None:
    """How the contest of a play of ``card`` stands (``contest``: the play's ``pending``,
    ``success``, ``failure`` or None), with its style: ``⚄ pending`` while the dice are
    to decide it, ``⚖ awaits ruling`` while the facilitator is; None without a contest."""
    if contest == "pending":
        return _CONTEST_MARKS["facilitator" if card.contest is not None and card.contest.by == "facilitator" else "dice"]
    return _CONTEST_MARKS.get(contest or "")


def card_tags(card: Card) -> str:
    """``cost 2 · action``."""
    return f"{card.kind}"


def contest_when(engine: Engine) -> str:
    """When a card's contest is decided, as the engine's round runs it: ``at adjudication``,
    or, in a round without that step, ``as soon as it opens``."""
    return "at adjudication" if engine.has_adjudication else "as soon as it opens"


def card_effect_lines(
    engine: Engine, card: Card, phase: str | None = None, unmet: Mapping[str, str] | None = None,
) -> list[str]:
    """What a card does, one rule per line: its effects, the phase changes it may fire,
    its contest and what success and failure each do (for the detail pane and the dialog
    that asks before it is played); ``phase``: the crisis phase now; ``unmet``: why each
    phase change would not happen now, as the session tells (``effects``, ``success``,
    ``failure``: see :meth:`Session.unmet_triggers <tabletop.session.Session.unmet_triggers>`)."""
    unmet = unmet or {}
    lines = []
    base = effects_parts(engine, card.effects)
    if base:
        lines.append("Effects: " + " · ".join(base))
    lines.extend(trigger_lines(engine, card.effects, phase, unmet=unmet.get("effects", "")))
    if card.contest is not None:
        c = card.contest
        when = contest_when(engine)
        if c.by == "dice":
            mods = "; ".join(modifier_words(engine, m) for m in c.modifiers)
            target = c.target if c.target is not None else 7
            lines.append(f"Contest: {when} roll {dice_test(c.dice, target)}" + (f" ({mods})." if mods else "."))
        else:
            lines.append(f"Contest: the facilitator rules {when}" + (f" — {c.prompt.strip()}" if c.prompt else "."))
        lines.append(f"  success: {effects_text(engine, c.success)}; failure: {effects_text(engine, c.failure)}")
        lines.extend(trigger_lines(engine, c.success, phase, "  on success", unmet.get("success", "")))
        lines.extend(trigger_lines(engine, c.failure, phase, "  on failure", unmet.get("failure", "")))
    return lines


def card_detail_lines(
    engine: Engine, card: Card, phase: str | None = None, unmet: Mapping[str, str] | None = None,
) -> list[str]:
    """Every rule of a card, one per line (for the detail pane); ``phase`` and ``unmet`` as
    in :func:`card_effect_lines`."""
    lines = card_effect_lines(engine, card, phase, unmet)
    if card.consensus is not None:
        lines.append(f"Vote: {must_agree([seat_name(engine, v) for v in card.consensus.voters])}.")
    if card.covert is not None:
        how = "may be played face-down" if card.covert.optional else "played face-down"
        a = card.covert.attribution
        mods = "; ".join(modifier_words(engine, m) for m in a.modifiers)
        lines.append(f"Covert: {how}; to attribute it, roll {dice_test(a.dice, a.target)}" + (f" ({mods})." if mods else "."))
    if card.phases is not None:
        lines.append("Only in: " + ", ".join(engine.phase_name(p) for p in card.phases))
    if card.requires:
        lines.append(f"Needs: {condition_text(engine, card.requires)}.")
    if card.single_use:
        lines.append("Single use: leaves the game once played.")
    return lines


def nothing_playable_hint(attributable: bool) -> str:
    """What a seat can do on its turn when none of its cards can be played now."""
    can = ["pass (x)", "write a proposal for the facilitator (w)"]
    if attributable:
        can.insert(0, "try to attribute a covert action (a)")
    return f"None of your cards can be played now. You can {', '.join(can[:-1])} or {can[-1]}."


#: the round's steps other than a side's turns, in words
_STEPS = {"injects": "the injects", "adjudication": "adjudication", "phase_check": "the phase check", "upkeep": "upkeep"}


def step_words(engine: Engine, step: str) -> str:
    """``Belarus and Russia's turns``, ``adjudication``, ``the phase check`` (``—`` before the game)."""
    if not step:
        return "—"
    side = engine.campaign.side_by_id.get(step)
    return whose(side.name, "turns", start=True) if side is not None else _STEPS.get(step, step.replace("_", " "))


def _mmss(seconds: float) -> str:
    n = int(abs(seconds) + (0.999 if seconds > 0 else 0))  # a second left shows 0:01, not 0:00
    return f"{n // 60}:{n % 60:02d}"


def clock_text(engine: Engine, reading: ClockReading | None) -> str:
    """``⏱ Latvia 3:12 · round 24:05``, ``⏱ Latvia over time by 0:45``, ``⏸ clock stopped``."""
    if reading is None:
        return ""
    parts = []
    if reading.turn_left is not None and reading.actor is not None:
        who = seat_name(engine, reading.actor)
        left = reading.turn_left
        parts.append(f"{who} {_mmss(left)}" if left > 0 else f"{who} over time by {_mmss(left)}")
    if reading.round_left is not None:
        left = reading.round_left
        parts.append(f"round {_mmss(left)}" if left > 0 else f"round over by {_mmss(left)}")
    if not parts:
        return ""
    return ("⏸ " if reading.paused else "⏱ ") + " · ".join(parts) + (" (paused)" if reading.paused else "")


def waiting_text(engine: Engine, view: View, is_bot: Any = lambda seat: False) -> str:
    """``Waiting for: Latvia's vote`` — what the game waits for now."""
    if view.outcome is not None:
        return "The exercise is over."
    if view.paused:
        return "Paused by the facilitator — press f to resume."
    if not view.awaiting:
        return "Waiting for nobody."
    if view.vote is not None:  # the engine awaits the advisors, then the voters who have not voted yet
        advisors = [a for a in view.awaiting if a in view.vote.advisors]
        voters = [a for a in view.awaiting if a not in view.vote.advisors]
        parts = []
        if advisors:
            names = awaited_names(engine, advisors, is_bot)
            names = [in_sentence(n) for n in names]
            parts.append(whose(names[0], "advice") if len(names) == 1 else f"advice from {and_list(names)}")
        if voters:
            names = awaited_names(engine, voters, is_bot)
            names = [in_sentence(n) for n in names]
            parts.append(whose(names[0], "vote") if len(names) == 1 else f"votes from {and_list(names)}")
        return "Waiting for: " + " · ".join(parts)
    if view.awaiting[0] == FACILITATOR:
        return "Waiting for: the facilitator's ruling — press f"
    return f"Waiting for: {whose(awaited_names(engine, view.awaiting[:1], is_bot)[0], 'turn')}"


def handoff_words(engine: Engine, public: View, task: str) -> tuple[str, str]:
    """(what the seat takes the keyboard for, where the game stands) on the hot-seat
    hand-off: ``Your vote: Joint patrol``, ``Round 3/8 · 6 Mar 2031 · Crisis``. ``task``:
    ``ballot``, ``advice`` or a turn."""
    if task in ("ballot", "advice") and public.vote is not None:
        play = next((p for p in public.plays if p.id == public.vote.play), None)
        title = engine.cards[play.card].title if play is not None and play.card else f"covert action #{public.vote.play}"
        what = f"Your vote: {title}" if task == "ballot" else f"Your advice (you do not vote): {title}"
    else:
        what = "Your turn: play a card, attribute, write a proposal or pass."
    cal = engine.campaign.calendar
    context = f"Round {max(public.round, 1)}/{cal.rounds} · {nice_date(public.date)} · {engine.phase_name(public.phase)}"
    return what, context


def short_seat(name: str) -> str:
    """A seat's name without the words in brackets at its end: ``Belarus`` of ``Belarus
    (Lukashenka regime)`` (the name itself if it has none)."""
    head, bracket, _ = name.rstrip().partition(" (")
    return head if bracket and name.rstrip().endswith(")") and head.strip() else name


def hand_title(name: str, resources: int, left: int | None, width: int, met: tuple[int, int] | None = None) -> str:
    """``Latvia · ◆3 resources · 2 actions left · 1 of 3 objectives met (b)`` above a hand;
    shorter when it would not fit in ``width`` (the numbers stay in sight on narrow screens,
    the name gives up its bracketed part before the count of objectives goes).
    ``met``: (objectives met, objectives) of the seat, if it has any."""
    aims = f" · {met[0]} of {plural(met[1], 'objective')} met (b)" if met and met[1] else ""
    text = f"{name} · ◆{plural(resources, 'resource')}" + (f" · {plural(left, 'action')} left" if left is not None else "")
    if len(text + aims) <= width:
        return text + aims
    aims = f" · {met[0]}/{met[1]} met" if met and met[1] else ""
    for who in dict.fromkeys((name, short_seat(name))):
        short = f"{who} · ◆{resources}" + (f" · {left} left" if left is not None else "")
        if len(short + aims) <= width:
            return short + aims
    return text if len(text) <= width else short


def all_hands_text(engine: Engine, view: View) -> str:
    """One line per actor: name, resources and the cards in hand (the facilitator sees all)."""
    lines = []
    for actor, a in view.actors.items():
        cards = " · ".join(engine.cards[engine.instance_card[i]].title for i in (a.hand or ()))
        lines.append(f"{seat_name(engine, actor)} ◆{a.resources if a.resources is not None else '?'}: {cards or 'no cards'}")
    return "\n".join(lines)


def hidden_hands_note(engine: Engine, view: View, is_bot: Callable[[str], bool]) -> str:
    """Why no hand is shown, where the hand goes."""
    if view.outcome is not None:
        return "The exercise is over. Press e for the outcome."
    if view.paused:
        return "The facilitator has paused the exercise (press f)."
    awaiting = view.awaiting
    if awaiting and all(is_bot(a) for a in awaiting):
        who = and_list(awaited_names(engine, awaiting))
        return f"Hands are hidden while {noted(who, 'bot')} moves." if len(awaiting) == 1 else f"Hands are hidden while {noted(who, 'bots')} move."
    if awaiting == (FACILITATOR,):
        return "The game waits for the facilitator's ruling: press f."
    return "Hands are hidden."


def next_step_hint(
    view: View, is_bot: Callable[[str], bool], contests: Callable[[], bool], *, facilitator_here: bool = True,
    observes: bool = False,
) -> str:
    """What to do now, shown where the card details go while no hand is shown.

    ``contests``: whether the facilitator has a contest to rule on (asked only when the
    game waits for a human facilitator). ``facilitator_here``: this keyboard is the
    facilitator's (else an observer's or an evaluator's: it watches); ``observes``: it may
    record observations (an evaluator's). Bots are named only if some actor is one."""
    if not facilitator_here:
        o = " Press o to record an observation." if observes else ""
        if view.outcome is not None:
            return f"The exercise is over. Press e for the outcome, p for the phases, ctrl+q to quit.{o}"
        return f"You watch the public board; press p to see the phases, s for the last round in review.{o}"
    if view.outcome is not None:
        return "Press e for the outcome, p for the phases, ctrl+q to quit."
    if view.paused:
        return "Press f, then space, to resume the exercise."
    if view.awaiting == (FACILITATOR,) and not is_bot(FACILITATOR):
        if contests():
            return "Press f to open the facilitator console, then c to rule on the contest (with a rationale)."
        return "Press f to open the facilitator console, then o to rule on the proposal (with a rationale)."
    steer = "press f to steer the exercise, p to see the phases."
    return f"Bots move by themselves; {steer}" if any(is_bot(a) for a in view.actors) else steer[:1].upper() + steer[1:]


def die_face(value: int, sides: int = 6) -> str:
    if sides == 6 and 1 <= value <= 6:
        return _DIE_FACES[value - 1]
    return f"[{value}]"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def reflow(text: str) -> str:
    """Campaign prose with its hard line breaks undone, so it wraps at any width.

    Paragraphs (blank-line separated) become one line each; list items (``- ``, ``* ``,
    ``1. ``) and short all-caps headings keep their own lines, and an item's indented
    continuation lines join the item.
    """
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for raw in para.splitlines():
            line = raw.strip()
            if not line:
                continue
            starts_item = bool(_ITEM.match(raw))
            heading = line.isupper() and len(line) <= 60
            if not lines or starts_item or heading or (lines[-1].isupper() and len(lines[-1]) <= 60):
                lines.append(line)
            else:
                lines[-1] += " " + line
        out.append("\n".join(lines))
    return "\n\n".join(out)


def condition_text(engine: Engine, text: str, known: Mapping[str, int | str] | None = None) -> str:
    """A campaign condition in words (``Tension is at least 4``), never its operators;
    ``known``: hidden values the reader knows, said beside their names (see
    :func:`~tabletop.campaign.explain.condition_words`)."""
    return condition_words(engine.campaign, text, known)


def first_line(text: str, width: int = 80) -> str:
    """The start of ``text`` on one line, shortened with an ellipsis (the engine's wording)."""
    return first_words(text, width)


def shorten_words(text: str, room: int, *, whole: bool = False) -> str:
    """``text`` in ``room`` cells: whole if it fits, else its first whole words and an
    ellipsis (``Military…``, not ``Military sign…``, which reads as another word); a
    first word longer than the room is cut, with the ellipsis, or, ``whole``, left out:
    the ellipsis alone (the board never shows part of a word)."""
    if len(text) <= room:
        return text
    if room <= 1:
        return "…"[:max(room, 0)]
    cut = text[: room - 1]
    kept = cut if text[room - 1] == " " else cut.rsplit(" ", 1)[0] if " " in cut else ""
    kept = kept.rstrip(" ·,;:-–—")
    return (kept or ("" if whole else cut.rstrip())) + "…"


#: words a shortened phrase does not end on (``Deepfake of the…`` says less than ``Deepfake…``)
JOINING = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"})


def shorten_phrase(text: str, room: int) -> str:
    """``text`` in ``room`` cells by whole words (:func:`shorten_words`, ``whole``), and,
    when shortened, not ending on a joining word: ``Deepfake…``, not ``Deepfake of the…``."""
    short = shorten_words(text, max(room, 1), whole=True)
    words = short.removesuffix("…").split()
    if short == text or not words:
        return short
    while len(words) > 1 and words[-1].lower() in JOINING:
        words.pop()
    return " ".join(words) + "…"


def word_forms(text: str) -> list[str]:
    """Every shortening of ``text`` by whole words, longest first, down to the ellipsis
    alone: ``Armed incident at sea``, ``Armed incident at…``, ``Armed incident…``,
    ``Armed…``, ``…``."""
    words = text.split()
    forms = [text] + [" ".join(words[:n]).rstrip(" ·,;:-–—") + "…" for n in range(len(words) - 1, 0, -1)]
    return [*dict.fromkeys(forms), "…"] if text != "…" else [text]


def shorten(
    names: list[str], keep: int, width: int, sep: int, extra: list[int] | None = None, near: Collection[int] = (),
    a_word: Collection[int] = (),
) -> list[str]:
    """Shorten every name but ``keep`` a whole word at a time (:func:`word_forms`:
    ``Supply…``, never ``Supply c…``) until they fit in ``width``: the longest first, down
    to its first word; then, if that is not enough, the farthest from ``keep`` to the
    ellipsis alone. The names at ``near`` go only once the others are as short as they go;
    at the end a name nearer ``keep`` takes back the words the room allows.

    ``extra``: cells each name needs besides itself (a mark drawn after it).
    ``a_word``: names that keep their first word until every other name but the nearer
    ones is down to the ellipsis (the ladder's endings: what is at stake).
    """
    forms = [word_forms(n) for n in names]
    step = [0] * len(names)
    more = sum(extra) if extra else 0

    def total() -> int:
        return sum(len(f[s]) for f, s in zip(forms, step)) + sep * (len(names) - 1) + more

    nearer = [i for i in range(len(names)) if i != keep and i in near]
    farther = [i for i in range(len(names)) if i != keep and i not in near]
    # to the first word, longest first; then to "…", farthest first (a name in ``a_word``
    # only once every other farther name is "…"; the nearer ones last of all)
    for group, last in ((farther, 2), (farther, 1), ([i for i in a_word if i != keep and i not in near], 0), (nearer, 2), (nearer, 1)):
        while total() > width:
            left = [i for i in group if step[i] < len(forms[i]) - max(last, 1) and (last == 0 or i not in a_word or last == 2)]
            if not left:
                break
            i = max(left, key=(lambda j: len(forms[j][step[j]])) if last == 2 else (lambda j: abs(j - keep)))
            step[i] += 1
    for i in sorted(range(len(names)), key=lambda j: abs(j - keep)):
        while step[i] and total() - len(forms[i][step[i]]) + len(forms[i][step[i] - 1]) <= width:
            step[i] -= 1
    return [f[s] for f, s in zip(forms, step)]
