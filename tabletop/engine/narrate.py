"""Events as plain sentences, for the event log, the debrief and the report.

A :class:`Narrator` reads a stream of events (whole, or redacted for one seat) and
remembers what each play was, so a later "escalation +2" can say which card caused
it. Hidden values (``"?"``) become "a covert action".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from tabletop.campaign.conditions import ConditionError
from tabletop.campaign.explain import condition_words
from tabletop.engine import events as E
from tabletop.engine.commands import EVALUATOR, FACILITATOR, KINDS, RATINGS
from tabletop.engine.grammar import in_sentence, is_are, noted, succeeds_from, whose
from tabletop.engine.rules import Engine
from tabletop.engine.views import HIDDEN

_STEP_NAMES = {"injects": "Injects", "adjudication": "Adjudication", "phase_check": "Phase check", "upkeep": "Upkeep"}


def signed(n: int) -> str:
    """``+2``, ``-1``, ``0``."""
    return f"+{n}" if n > 0 else str(n)


def and_list(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def first_words(text: str, limit: int = 60) -> str:
    """The start of ``text`` on one line, shortened with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def agrees(name: str, verb: str) -> str:
    """``Latvia passes``, ``NATO and the EU pass``: ``name`` and ``verb`` (its plain form),
    the verb agreeing with a name that names more than one."""
    if " and " in name:
        return f"{name} {verb}"
    return f"{name} {verb}es" if verb.endswith(("s", "sh", "ch", "x", "z")) else f"{name} {verb}s"


def duration(seconds: float) -> str:
    """``5 min``, ``1 min 30 s``, ``45 s``, ``1 h 10 min``."""
    n = max(0, int(round(seconds)))
    h, rest = divmod(n, 3600)
    m, sec = divmod(rest, 60)
    if h:
        return f"{h} h {m} min" if m else f"{h} h"
    if m:
        return f"{m} min {sec} s" if sec else f"{m} min"
    return f"{sec} s"


def clock_words(turn: int, rnd: int) -> str:
    """``5 min a turn, 30 min a round`` or ``no time limit``."""
    parts = ([f"{duration(turn)} a turn"] if turn else []) + ([f"{duration(rnd)} a round"] if rnd else [])
    return ", ".join(parts) if parts else "no time limit"


def day(iso: str) -> str:
    """An in-game date as people write it: ``2031-03-02`` -> ``2 Mar 2031``."""
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:  # a mirror's or an old save's date that is not ISO: as it is
        return iso
    return f"{d.day} {d.strftime('%b')} {d.year}"


def must_agree(names: list[str]) -> str:
    """``Ostrand must agree``, ``Veldia and Ostrand must both agree``, ``A, B and C must all agree``."""
    if len(names) == 1:
        return f"{names[0]} must agree"
    return f"{and_list(names)} must {'both' if len(names) == 2 else 'all'} agree"


def actor_name(engine: Engine, actor: str) -> str:
    """An actor's name; the id itself for anything the campaign has no actor for."""
    a = engine.campaign.actor_by_id.get(actor)
    return a.name if a else actor


def seat_name(engine: Engine, seat: str | None) -> str:
    """A seat as players read it: the actor's name, ``the facilitator``, or ``nobody``."""
    if seat is None:
        return "nobody"
    if seat == FACILITATOR:
        return "the facilitator"
    return actor_name(engine, seat)


def awaited_names(
    engine: Engine, seats: Iterable[str], is_bot: Callable[[str], bool] = lambda seat: False,
    *, facilitator: str | None = None,
) -> list[str]:
    """The names of the awaited ``seats``, a bot's marked ``(bot)``; ``facilitator``: how
    to call the facilitator (default :func:`seat_name`'s)."""
    return [
        facilitator if seat == FACILITATOR and facilitator is not None
        else noted(seat_name(engine, seat), "bot") if is_bot(seat) else seat_name(engine, seat)
        for seat in seats
    ]


class Narrator:
    """Turns events into sentences; feed it every event in order."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.c = engine.campaign
        self.plays: dict[int, tuple[str, str]] = {}  # play -> (actor, card) as far as known
        self.step = ""  # the current step: a side's id during its turn
        self.timed_out: str | None = None  # the actor whose time just ran out (its turn ends next)

    # ---- names

    def actor(self, actor: str) -> str:
        if actor == HIDDEN:
            return "someone"
        return actor_name(self.engine, actor)

    def card(self, card: str) -> str:
        c = self.c.card_by_id.get(card)
        return c.title if c else card

    def track(self, track: str) -> str:
        t = self.c.track_by_id.get(track)
        return t.name if t else track

    def _no_effect(self, play: int, success: bool) -> str:
        """``", with no further effect"`` when the branch a contest took does nothing (the
        table otherwise waits for a consequence that never comes), else nothing: the
        branch's track moves are told by their own lines."""
        card = self.c.card_by_id.get(self.plays.get(play, (HIDDEN, HIDDEN))[1])
        if card is None or card.contest is None:
            return ""
        branch = card.contest.success if success else card.contest.failure
        return ", with no further effect" if branch.is_empty() else ""

    def play_label(self, play: int) -> str:
        actor, card = self.plays.get(play, (HIDDEN, HIDDEN))
        if card == HIDDEN:
            return f"a covert action (#{play})"
        return f"{self.card(card)} (#{play})"

    def cause(
        self, cause: str, *, play: Callable[[int], str] | None = None, proposer: Callable[[int], str | None] | None = None,
        reason: str = "",
    ) -> str:
        """A cause (``play:3``, ``inject:airlift``, ``facilitator``...) as words: the one
        wording for the log, the screens and the debrief.

        ``play`` words a play by number (default: :meth:`play_label`, as this narrator
        knows it); ``proposer`` names who wrote proposal ``n`` (None: not said); ``reason``
        is the facilitator's stated reason, where the reader may see it.
        """
        kind, _, ref = cause.partition(":")
        words = play or self.play_label
        if kind == "play" and ref.isdigit():
            return words(int(ref))
        if kind == "inject":
            inj = self.c.inject_by_id.get(ref)
            return f"inject {inj.title}" if inj else "an inject"
        if kind == "attribution" and ref.isdigit():  # the log names the play by number only
            return f"the attribution of {play(int(ref)) if play else '#' + ref}"
        if kind == "proposal" and ref.isdigit():
            who = proposer(int(ref)) if proposer else None
            return f"proposal {ref} by {who}" if who else f"proposal {ref}"
        if kind == "threshold":
            return "the tracks"
        if kind == "facilitator":
            return f"the facilitator: {reason}" if reason else "the facilitator"
        return {"upkeep": "upkeep"}.get(kind, cause)

    # ---- sentences

    def sentences(self, events: Iterable[E.Event]) -> list[str]:
        """One sentence per event that deserves one, in order."""
        out = []
        for ev in events:
            s = self.sentence(ev)
            if s:
                out.append(s)
        return out

    def sentence(self, ev: E.Event) -> str | None:  # noqa: C901 - one branch per event type
        """The sentence for one event, or None for bookkeeping events."""
        if isinstance(ev, E.GameStarted):
            return f"The exercise begins: {self.c.title}."
        if isinstance(ev, E.RoundStarted):
            return f"Round {ev.round} begins ({day(ev.date)})."
        if isinstance(ev, E.StepStarted):
            self.step = ev.step
            side = self.c.side_by_id.get(ev.step)
            return f"{side.name} to act." if side else None
        if isinstance(ev, E.TurnStarted):
            return f"{whose(self.actor(ev.actor), 'turn', start=True)}."
        if isinstance(ev, E.ClockSet):
            return f"The facilitator set the clock: {clock_words(ev.turn, ev.round)}."
        if isinstance(ev, E.TimeExtended):
            return f"The facilitator gives {in_sentence(self.actor(ev.actor))} {duration(ev.seconds)} more."
        if isinstance(ev, E.TimeRanOut):
            self.timed_out = ev.actor
            return f"Time is up for {whose(self.actor(ev.actor), 'turn')}."
        if isinstance(ev, E.TurnEnded):
            timed_out, self.timed_out = self.timed_out, None
            if ev.forced and timed_out == ev.actor:
                return None  # the time ran out: said just before
            if ev.forced:
                return f"The facilitator ended {whose(self.actor(ev.actor), 'turn')}."
            return f"{agrees(self.actor(ev.actor), 'pass')}." if ev.passed else None  # None: not told
        if isinstance(ev, E.CardsDrawn):
            n = len(ev.cards)
            return f"{agrees(self.actor(ev.actor), 'draw')} {n} card{'s' if n != 1 else ''}."
        if isinstance(ev, E.DeckReshuffled):
            return f"{agrees(self.actor(ev.actor), 'shuffle')} the discard pile into a new deck."
        if isinstance(ev, E.CardsDiscarded):
            names = [self.card(self.engine.instance_card.get(i, i)) for i in ev.cards if i != HIDDEN]
            what = f" ({and_list(names)})" if names else ""
            n = len(ev.cards)
            return f"{agrees(self.actor(ev.actor), 'discard')} {n} card{'s' if n != 1 else ''}{what} because of {self.cause(ev.cause)}."
        if isinstance(ev, E.CovertSealed):
            side = self.c.side_by_id.get(self.step)
            when = f" at the end of {whose(side.name, 'turn')}" if side else " at the end of the step"
            return f"{self.actor(ev.actor)} played {self.card(ev.card)} covertly: it takes effect{when}."
        if isinstance(ev, E.CardPlayed):
            self.plays[ev.play] = (ev.actor, ev.card)
            if ev.card == HIDDEN:
                return f"A covert action was taken (#{ev.play})."
            how = " covertly" if ev.covert else ""
            why = f" Reason: {ev.rationale}" if ev.rationale else ""
            return f"{self.actor(ev.actor)} played {self.card(ev.card)}{how} (#{ev.play}).{why}"
        if isinstance(ev, E.TrackChanged):
            base = f"{self.track(ev.track)} {signed(ev.delta)} (now {ev.value})"
            if ev.cause == "facilitator":
                return f"The facilitator adjusted {base}: {ev.reason}" if ev.reason else f"The facilitator adjusted {base}."
            return f"{base}, from {self.cause(ev.cause)}."
        if isinstance(ev, E.ResourcesChanged):
            verb = "gains" if ev.delta > 0 else "loses"
            noun = "resource" if abs(ev.delta) == 1 else "resources"
            return f"{self.actor(ev.actor)} {verb} {abs(ev.delta)} {noun} (now {ev.value}), from {self.cause(ev.cause)}."
        if isinstance(ev, E.ContestPending):
            if ev.by == "facilitator":
                return f"{self.play_label(ev.play)} awaits the facilitator's ruling."
            if self.engine.has_adjudication:
                return f"{self.play_label(ev.play)} will be decided by dice at adjudication."
            return f"{self.play_label(ev.play)} goes to the dice at once."  # a round without the step rolls it now
        if isinstance(ev, E.ContestRolled):
            result = ("success" if ev.success else "failure") + self._no_effect(ev.play, ev.success)
            if not ev.dice:  # the roll is not told to this seat, only its outcome
                return f"{self.play_label(ev.play)}: the dice decided: {result}."
            return f"{self.play_label(ev.play)}: {self.roll(ev.dice, ev.modifiers, ev.total, ev.target)}: {result}."
        if isinstance(ev, E.ContestAdjudicated):
            verdict = "success" if ev.success else "failure"
            return f"The facilitator ruled {self.play_label(ev.play)} a {verdict}: {ev.rationale}"
        if isinstance(ev, E.VoteOpened):
            advice = ""
            if ev.advisors:
                asked = and_list([self.actor(a) if i == 0 else in_sentence(self.actor(a)) for i, a in enumerate(ev.advisors)])
                advice = f" {asked} {'is' if len(ev.advisors) == 1 else 'are'} asked for advice first."
            return f"Vote on {self.play_label(ev.play)}: {must_agree([in_sentence(self.actor(v)) for v in ev.voters])}.{advice}"
        if isinstance(ev, E.BallotCast):
            why = f": {ev.rationale}" if ev.rationale else "."
            return f"{agrees(self.actor(ev.actor), 'vote')} {'yes' if ev.yes else 'no'}{why}"
        if isinstance(ev, E.AdviceGiven):
            why = f": {ev.rationale}" if ev.rationale else "."
            return f"{agrees(self.actor(ev.actor), 'advise')} {'for' if ev.yes else 'against'} it{why}"
        if isinstance(ev, E.ValuesRevealed):
            told = and_list([f"{self.engine.value_name(k)} {is_are(self.c.names_many(k))} {v}" for k, v in ev.values.items()])
            return f"Revealed, by {self.cause(ev.cause)}: {told}."
        if isinstance(ev, E.TriggerUnmet):
            reason = ev.reason[:1].upper() + ev.reason[1:]
            return f"{reason}; {self.cause(ev.cause)} did not move it."
        if isinstance(ev, E.VoteClosed):
            unadvised = ""
            if ev.unadvised:
                silent = and_list([in_sentence(self.actor(a)) for a in ev.unadvised])
                unadvised = f" The facilitator closed the vote before {silent} gave advice."
            if ev.passed:
                return f"Agreed: {self.play_label(ev.play)} takes effect.{unadvised}"
            missing = f" ({and_list([in_sentence(self.actor(m)) for m in ev.missing])} did not vote)" if ev.missing else ""
            return f"No consensus: {self.play_label(ev.play)} has no effect{missing}.{unadvised}"
        if isinstance(ev, E.AttributionAttempted):
            result = "the attribution holds" if ev.success else "inconclusive"
            if not ev.dice:  # the roll is the card's, not told to this seat: only its outcome
                return f"{agrees(self.actor(ev.by), 'attribute')} #{ev.play} to {in_sentence(self.actor(ev.accused))}: {result}."
            roll = self.roll(ev.dice, ev.modifiers, ev.total, ev.target)
            return f"{agrees(self.actor(ev.by), 'attribute')} #{ev.play} to {in_sentence(self.actor(ev.accused))}: {roll}: {result}."
        if isinstance(ev, E.CovertRevealed):
            self.plays[ev.play] = (ev.actor, ev.card)
            how = {"attributed": "attributed", "effect": "exposed", "timer": "came to light"}.get(ev.how, ev.how)
            return f"Covert action #{ev.play} {how}: {in_sentence(self.actor(ev.actor))} played {self.card(ev.card)}."
        if isinstance(ev, E.ProposalSubmitted):
            if ev.text == HIDDEN:  # another side's proposal: its words are its side's until the ruling
                return (f"{agrees(self.actor(ev.actor), 'write')} a proposal for the facilitator (#{ev.proposal}): "
                        "only its side and the facilitator read it before the ruling.")
            return f"{agrees(self.actor(ev.actor), 'propose')} (#{ev.proposal}): {ev.text}"
        if isinstance(ev, E.ProposalRuled):
            verb = {"accept": "accepted", "amend": "amended", "reject": "rejected"}.get(ev.verdict, ev.verdict)
            return f"The facilitator {verb} proposal {ev.proposal}: {ev.rationale}"
        if isinstance(ev, E.InjectFired):
            text = f" {ev.text.strip()}" if ev.text.strip() else ""
            to = ""
            if ev.to:
                to = f" (for {and_list([self.audience_name(x) for x in ev.to])} only)"
            return f"Inject{to} — {ev.title}.{text}"
        if isinstance(ev, E.PhaseChanged):
            if ev.cause == "threshold" and ev.condition:
                why = f" ({self.condition(ev.condition)})"
            else:
                why = f", because of {self.cause(ev.cause)}"
            return f"The crisis moves from {self.engine.phase_name(ev.source)} to {self.engine.phase_name(ev.dest)}{why}."
        if isinstance(ev, E.Annotated):
            return f"Note: {ev.text}"
        if isinstance(ev, E.ObservationRecorded | E.HotwashAnswered | E.SeatNamed):
            return self.evaluation(ev)
        if isinstance(ev, E.Paused):
            reason = ev.reason.strip().rstrip(".")
            return f"The facilitator paused the exercise{': ' + reason if reason else ''}."
        if isinstance(ev, E.Resumed):
            return "The exercise resumes."
        if isinstance(ev, E.GameEnded):
            results = ""
            if ev.results:
                if all(r == "lose" for r in ev.results.values()):
                    results = ": every side loses"
                else:
                    words = {"win": "wins", "lose": "loses", "draw": "draws"}
                    results = ": " + and_list([f"{self.engine.side_name(s)} {words.get(r, r)}" for s, r in ev.results.items()])
            return f"The exercise ends: {self.end_reason(ev.reason, ev.detail)}{results}."
        return None

    def evaluation(self, ev: E.ObservationRecorded | E.HotwashAnswered | E.SeatNamed) -> str:
        """An observation, a hotwash or a seat's name, in words."""
        if isinstance(ev, E.SeatNamed):
            if ev.target in self.engine.side_of:
                return f"{ev.name} plays {in_sentence(self.actor(ev.target))}."
            return f"{ev.name} is {'the facilitator' if ev.target == FACILITATOR else 'an evaluator'}."
        if isinstance(ev, E.HotwashAnswered):
            who = ev.author or self.engine.seat_name(ev.seat)
            if ev.author and ev.seat not in (FACILITATOR, EVALUATOR):
                who = f"{ev.author} ({self.engine.seat_name(ev.seat)})"
            parts = [f"{q}: {a}" for q, a in (("went well", ev.went_well), ("to improve", ev.improve),
                                               ("lesson", ev.lesson)) if a]
            return f"Hotwash, {who} — " + "; ".join(parts).rstrip(".!?") + "."
        tags = [KINDS[ev.kind]] if ev.kind in KINDS else []
        if ev.rating in RATINGS:
            tags.append(f"{ev.rating}: {RATINGS[ev.rating]}")
        if ev.objective:  # by its words: "#2" (an objective without an id) or "lo-share" are for the machine
            words = self.engine.objective_refs.get(ev.objective, ev.objective)
            tags.append(f"on “{first_words(words)}”")
        return f"Observation by {ev.author} on event {ev.about}" + (f" ({'; '.join(tags)})" if tags else "") + f": {ev.text}"

    def condition(self, text: str) -> str:
        """A campaign condition in words ("Tension is at least 4 or from round 6")."""
        return condition_words(self.c, text)

    def audience_name(self, who: str) -> str:
        """A side or an actor, by name."""
        side = self.c.side_by_id.get(who)
        return side.name if side is not None else self.actor(who)

    def modifier_label(self, label: str) -> str:
        """A roll's modifier label for people: a modifier without a label of its own is
        journaled with its condition's text (``trust <= 4``), said here in words."""
        try:
            return self.condition(label)
        except ConditionError:
            return label  # a label the campaign wrote: it is words already

    def roll(self, dice: tuple[int, ...], mods: tuple[tuple[str, int], ...], total: int, target: int) -> str:
        parts = "+".join(str(d) for d in dice)
        for label, value in mods:
            parts += f" {signed(value)} ({self.modifier_label(label)})"
        return f"rolled {parts} = {total} ({succeeds_from(target)})"

    def end_reason(self, reason: str, detail: str) -> str:
        if reason == "terminal_phase":
            return f"the crisis reached {self.engine.phase_name(detail)}"
        if reason == "end_condition":
            end = next((e for e in self.c.end if e.id == detail), None)
            return end.title if end else detail
        return "the last round is over"
