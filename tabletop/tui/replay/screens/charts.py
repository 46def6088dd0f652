"""The charts of a save, one tab each: tracks over time with their thresholds, the phase
timeline with causes, covert plays (perceived against actual), the facilitator's
interventions, votes ballot by ballot. Enter on an item goes back to the viewer at it.

The charts obey the viewer's viewpoint and step: the facilitator's show the whole game
and the whole truth; any other viewpoint's lists hold what happened up to the step, as
that viewpoint knew it then (a covert play's card and author only once it knew them).
The track and phase charts are public values and show the whole game."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from tabletop.analysis.debrief import Debrief
from tabletop.engine.commands import FACILITATOR
from tabletop.journal.replay import Replay
from tabletop.tui.replay.model import nice_date
from tabletop.tui.replay.widgets.board import side_style
from tabletop.tui.replay.widgets.charts import Axis, Band, PhaseBands, SeriesData, TrackChart
from tabletop.tui.text import and_list, seat_name, succeeds_from
from tabletop.tui.widgets.footer import Footer

TABS = ("tracks", "phases", "covert", "facilitator", "votes")


class ChartsScreen(Screen[int | None]):
    """Charts and tables of the whole save; dismisses the event to go to (None: stay)."""

    HELP_TITLE = "the charts"

    BINDINGS = [
        Binding("escape,c", "close", "Back", tooltip="Back to the replay, at the same event."),
        Binding("r", "toggle_scale", "Per round/event", tooltip="Draw the charts per event or per round."),
        Binding("1", "tab(0)", "Tab", key_display="1-5", tooltip="Tracks, Phases, Covert, Facilitator, Votes tab."),
        *(Binding(str(i + 1), f"tab({i})", show=False) for i in range(1, 5)),
    ]

    per_event: reactive[bool] = reactive(True, init=False)

    def __init__(self, replay: Replay, k: int, save_name: str, seat: str = FACILITATOR) -> None:
        super().__init__()
        self.replay = replay
        self.debrief = Debrief(replay)
        self.k = k
        self.save_name = save_name
        self.seat = seat  # the viewpoint: whose knowledge the lists show
        self.engine = replay.engine
        self.phases_per_event = [replay.initial_phase, *(entry.phase for entry in replay.entries)]
        #: the threshold labels' room, the same for every chart so that their columns line up
        self.label_width = max(
            (len(f"{th.at} {th.label}") for t in replay.campaign.tracks for th in t.thresholds), default=0
        )

    # ================================================================ layout

    def compose(self) -> ComposeResult:
        r = self.replay
        seen = "" if self.seat == FACILITATOR else f" · as {seat_name(self.engine, self.seat)} knew it"
        yield Static(
            f"Charts at event {self.k}/{len(r)}{seen} · {r.campaign.title} · {self.save_name}", id="ch-header", markup=False
        )
        with TabbedContent(id="ch-tabs"):
            with TabPane("Tracks", id="tracks"):
                with VerticalScroll(id="ch-tracks"):
                    yield Static("", id="ch-scale", classes="ch-hint", markup=False)
                    axis = self.axis()
                    for t in r.campaign.tracks:
                        yield TrackChart(self.series(t.id), axis, id=f"chart-{t.id}")
            with TabPane("Phases", id="phases"):
                with Vertical():
                    yield PhaseBands(self.bands(), self.axis(), id="ch-bands")
                    yield self._hint()
                    yield self.phase_list()
            with TabPane("Covert", id="covert"):
                with Vertical():
                    yield self._hint()
                    yield self.covert_list()
            with TabPane("Facilitator", id="facilitator"):
                with Vertical():
                    yield self._hint()
                    yield self.intervention_list()
            with TabPane("Votes", id="votes"):
                with Vertical():
                    yield self._hint()
                    yield self.vote_list()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._scale_text()

    # ================================================================ charts

    def axis(self) -> Axis:
        r = self.replay
        series = self.debrief.track_series()
        if self.per_event:
            labels = [(s.first, f"R{s.round}") for s in r.rounds() if s.round > 0]
            return Axis(len(r) + 1, labels, self.k)
        labels = [(0, "start")] + [(i, f"R{rd}") for i, rd in enumerate(series.rounds) if i > 0]
        cursor = next((i for i, end in enumerate(series.round_ends) if end >= self.k), len(series.round_ends) - 1)
        return Axis(len(series.rounds), labels, cursor)

    def series(self, track: str) -> SeriesData:
        r = self.replay
        t = r.campaign.track_by_id[track]
        s = self.debrief.track_series()
        values = s.per_event[track] if self.per_event else s.per_round[track]
        now = s.per_event[track][self.k]
        every = s.per_event[track]
        colour = side_style(r.engine, t.favours, "") if t.favours else "$accent"
        return SeriesData(
            t.name, t.min, t.max, list(values), [(th.at, th.label) for th in t.thresholds], colour.strip() or "$accent",
            f"at event {self.k}: {now} · start {t.start} · low {min(every)} · high {max(every)}",
            label_width=self.label_width,
        )

    def bands(self) -> list[Band]:
        r = self.replay
        if self.per_event:
            at = self.phases_per_event
        else:
            at = [self.phases_per_event[end] for end in self.debrief.track_series().round_ends]
        return [Band(p.name, [ph == p.id for ph in at], p.terminal) for p in r.campaign.phases.states]

    def watch_per_event(self) -> None:
        axis = self.axis()
        for t in self.replay.campaign.tracks:
            self.query_one(f"#chart-{t.id}", TrackChart).show(self.series(t.id), axis)
        self.query_one(PhaseBands).show(self.bands(), axis)
        self._scale_text()

    def _scale_text(self) -> None:
        scale, other = ("Per event", "per round") if self.per_event else ("Per round (its last value)", "per event")
        self.query_one("#ch-scale", Static).update(
            f"{scale}. ┈ thresholds; highlighted: event {self.k}; r: {other}."
        )

    # ================================================================ lists

    def _list(self, options: list[Option], empty: str, list_id: str) -> OptionList | Static:
        if not options:
            return Static(empty, classes="ch-empty", markup=False)
        return OptionList(*options, id=list_id, classes="ch-list")

    def _hint(self) -> Static:
        return Static("enter: back to the replay at that event", classes="ch-hint", markup=False)

    def _when(self, seq: int, round_: int) -> str:
        return f"event {seq} · " + ("the deal" if round_ == 0 else f"round {round_}, {nice_date(self.engine.date_of(round_).isoformat())}")

    def phase_list(self) -> OptionList | Static:
        r, options = self.replay, []
        for step in self.debrief.phase_timeline(self.seat, self.k):
            prompt = Content("\n").join(
                [
                    Content.assemble(
                        Content.styled(step.source_name, "bold"), " → ", Content.styled(step.dest_name, "bold $accent"),
                        Content.styled(f"   {self._when(step.seq, step.round)}", "$text-muted"),
                    ),
                    Content.assemble(Content.styled("  because ", "$text-muted"), step.because),
                ]
            )
            options.append(Option(prompt, id=str(step.seq)))
        start = r.engine.phase_name(r.initial_phase)
        return self._list(options, f"The crisis stayed in {start} throughout.", "ch-phase-list")

    def covert_list(self) -> OptionList | Static:
        e, options = self.engine, []
        for c in self.debrief.covert_report(self.seat, self.k):
            if c.card is None or c.actor is None:  # still hidden from this viewpoint at this step
                lines = [
                    Content.styled(f"#{c.play} a covert action of {e.side_name(c.side)}", "bold"),
                    Content.styled(f"  Card and author not known to this viewpoint yet · {self._when(c.seq, c.round)}",
                                   "$text-muted"),
                ]
            else:
                card = e.cards[c.card].title if c.card in e.cards else c.card
                lines = [
                    Content.styled(f"#{c.play} {card}", "bold"),
                    Content.assemble(
                        Content.styled("  Really played by ", "$text-muted"),
                        Content.styled(seat_name(e, c.actor), side_style(e, c.side)),
                        Content.styled(f" · {self._when(c.seq, c.round)}", "$text-muted"),
                    ),
                ]
            for side, told in c.seen_by.items():
                lines.append(Content.assemble(Content.styled(f"  Told to {e.side_name(side)}: ", "$text-muted"), told or "nothing"))
            for a in c.accusations:
                verdict = "holds" if a.success else "inconclusive"
                right = "" if a.correct is None else (" — the right actor" if a.correct else " — the wrong actor")
                lines.append(
                    Content.assemble(
                        Content.styled(f"  Accused at event {a.seq}: ", "$text-muted"),
                        f"{seat_name(e, a.by)} named {seat_name(e, a.accused)}, rolled {a.total} ({succeeds_from(a.target)}): {verdict}",
                        Content.styled(right, "$success" if a.correct else "$error"),
                    )
                )
            if c.revealed_seq is not None:
                how = {"attributed": "attributed", "effect": "exposed by an effect", "timer": "came to light"}.get(
                    c.revealed_how or "", c.revealed_how or ""
                )
                lines.append(Content.styled(f"  Revealed at event {c.revealed_seq} (round {c.revealed_round}): {how}.", "$success"))
            else:
                lines.append(Content.styled("  Never revealed." if self.seat == FACILITATOR else "  Not revealed by then.", "$warning"))
            blamed = seat_name(e, c.perceived) if c.perceived else "nobody"
            if c.actor is None:
                mark, style = "", ""  # right or wrong is what this viewpoint does not know
            else:
                mark, style = ("✓", "$success") if c.correctly_blamed else ("✗", "$error")
            when = "at the end" if self.seat == FACILITATOR else "by then"
            lines.append(Content.assemble(
                Content.styled(f"  Blamed {when} on: ", "$text-muted"), blamed, " ", Content.styled(mark, style)
            ))
            options.append(Option(Content("\n").join(lines), id=str(c.seq)))
        return self._list(options, "No covert plays in this save.", "ch-covert-list")

    def intervention_list(self) -> OptionList | Static:
        options = []
        for i in self.debrief.interventions(self.seat, self.k):
            lines = [
                Content.assemble(
                    Content.styled(i.kind.capitalize(), "bold $accent"),
                    Content.styled(f"   {self._when(i.first, i.round)}", "$text-muted"),
                ),
                Content("  " + i.headline) if i.headline else Content(""),
            ]
            if i.rationale and i.rationale not in i.headline:
                lines.append(Content.assemble(Content.styled("  Rationale: ", "$text-muted"), i.rationale))
            shown = i.consequences[:3]
            for c in shown:
                lines.append(Content.styled(f"  → {c}", "$text-muted"))
            if len(i.consequences) > len(shown):
                lines.append(Content.styled(f"  → … and {len(i.consequences) - len(shown)} more (enter to see them)", "$text-muted"))
            options.append(Option(Content("\n").join(line for line in lines if line.plain), id=str(i.first)))
        return self._list(options, "The facilitator made no interventions.", "ch-fac-list")

    def vote_list(self) -> OptionList | Static:
        e, options = self.engine, []
        for v in self.debrief.votes(self.seat, self.k):
            card = e.cards[v.card].title if v.card in e.cards else v.card
            ballots = [
                Content.assemble(
                    Content.styled("✓ " if b.yes else "✗ ", "$success" if b.yes else "$error"),
                    f"{seat_name(e, b.actor)}", Content.styled(f" (event {b.seq})", "$text-muted"),
                )
                for b in v.ballots
            ]
            if v.passed is None:
                result = Content.styled("still open when the save ends", "$warning")
            elif v.passed:
                result = Content.styled("agreed: it takes effect", "$success")
            else:
                missing = f" ({and_list([seat_name(e, m) for m in v.missing])} did not vote)" if v.missing else ""
                result = Content.styled(f"no consensus{missing}", "$error")
            lines = [
                Content.styled(f"#{v.play} {card}", "bold"),
                Content.styled(f"  Tabled by {seat_name(e, v.actor)} · {self._when(v.opened, v.round)}", "$text-muted"),
                Content.assemble("  ", *(Content.assemble(b, "  ") for b in ballots)) if ballots else Content("  no ballots"),
                Content.assemble("  → ", result),
            ]
            options.append(Option(Content("\n").join(lines), id=str(v.opened)))
        return self._list(options, "No votes in this save.", "ch-vote-list")

    # ================================================================ actions

    @on(OptionList.OptionSelected)
    def _go(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_toggle_scale(self) -> None:
        self.per_event = not self.per_event

    def action_tab(self, index: int) -> None:
        self.query_one(TabbedContent).active = TABS[index]

