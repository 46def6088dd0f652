"""The launcher: `tabletop` with no command.

Pick a bundled campaign (its briefing previews beside the list), set up a new game
(human or bot for every seat, a seed), resume a save or open one in the debrief
viewer (the saves folder, :func:`tabletop.files.saves_dir`, is shown at the foot of the
launcher and atop each list of saves). The launcher only chooses: it exits with a
:class:`Choice` that the command line then carries out with the ordinary `play`,
`resume` or `replay` command, so every path into a game is the same path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Input, Label, Markdown, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from tabletop.campaign.bundled import bundled_campaigns
from tabletop.files import saves_dir as default_saves_dir
from tabletop.files import shown
from tabletop.tui.widgets.footer import Footer


@dataclass(frozen=True)
class Choice:
    """What the user chose in the launcher."""

    action: str  # "play" | "resume" | "replay"
    path: str
    bots: tuple[str, ...] = ()
    seed: int | None = None


@dataclass(frozen=True)
class CampaignEntry:
    path: Path
    title: str
    briefing: str
    summary: str
    seats: tuple[tuple[str, str, str], ...]  # (actor id, actor name, side name)
    problem: str | None = None


@dataclass(frozen=True)
class SaveEntry:
    path: Path
    label: str
    detail: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def read_campaigns(paths: list[Path]) -> list[CampaignEntry]:
    """Load each campaign for the list; a broken one is listed with its first problem."""
    from tabletop.campaign.problems import CampaignError
    from tabletop.campaign.validate import load_campaign

    out = []
    for path in paths:
        try:
            c = load_campaign(path).campaign
        except CampaignError as e:
            out.append(CampaignEntry(path, path.stem, "", "", (), str(e.problems[0]) if e.problems else str(e)))
            continue
        sides = "; ".join(f"{s.name}: {', '.join(a.name for a in s.actors)}" for s in c.sides)
        summary = (
            f"{c.calendar.rounds} rounds of {c.calendar.round_days} days from {c.calendar.start.isoformat()} · "
            f"{len(c.cards)} cards · {sides}"
        )
        seats = tuple((a.id, a.name, s.name) for s in c.sides for a in s.actors)
        out.append(CampaignEntry(path, c.title, c.briefing, summary, seats))
    return out


#: how much of a save's end is read to find its last line (where the game stands)
_TAIL = 65536


def _last_record(path: Path) -> dict[str, object] | None:
    """The last complete line of a save, parsed (None if there is none to read)."""
    with path.open("rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - _TAIL))
        lines = [line for line in f.read().split(b"\n") if line.strip()]
    for raw in reversed(lines[1:] if size > _TAIL else lines):
        try:
            rec = json.loads(raw)
        except ValueError:
            continue  # a torn last line: the one before says where the game stood
        return rec if isinstance(rec, dict) and "seq" in rec else None
    return None


def _campaign_facts(head: dict[str, object], cache: dict[str, tuple[dict[str, str], int | None]]) -> tuple[dict[str, str], int | None]:
    """Phase names and rounds of the campaign a save holds (read once per campaign)."""
    from tabletop.campaign.peek import phase_names, rounds

    camp = head.get("campaign")
    if not isinstance(camp, dict):
        return {}, None
    key = str(camp.get("sha256", ""))
    if key not in cache:
        text = str(camp.get("text", ""))
        cache[key] = (phase_names(text), rounds(text))
    return cache[key]


def save_progress(path: Path, head: dict[str, object], cache: dict[str, tuple[dict[str, str], int | None]]) -> str:
    """``round 3 of 10 · Border crisis`` or ``ended in round 7 · Armed conflict`` ("" if unknown)."""
    try:
        rec = _last_record(path)
    except OSError:
        return ""
    if rec is None:
        return "not started"
    names, total = _campaign_facts(head, cache)
    phase = names.get(str(rec.get("phase")), str(rec.get("phase", "")))
    event = rec.get("event")
    ended = isinstance(event, dict) and event.get("type") == "game_ended"
    of = f" of {total}" if total else ""
    where = f"ended in round {rec.get('round')}" if ended else f"round {rec.get('round')}{of}"
    return f"{where} · {phase}" if phase else where


def read_saves(folder: Path) -> list[SaveEntry]:
    """The saves in ``folder``, newest first: campaign, when it began, and where it stands
    (round and phase, or that it ended), from the header and the last line."""
    if not folder.is_dir():
        return []
    files = [p for p in folder.glob("*.jsonl") if not p.name.endswith(".notes.jsonl")]
    files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    out = []
    cache: dict[str, tuple[dict[str, str], int | None]] = {}
    for p in files[:200]:
        try:
            with p.open("rb") as f:
                head = json.loads(f.readline())
            camp = head.get("campaign", {}).get("id", "?")
            created = str(head.get("created", ""))[:16].replace("T", " ")
            detail = f"{camp} · started {created}" if created else camp
            progress = save_progress(p, head, cache)
            detail += f" · {progress}" if progress else ""
        except (OSError, ValueError, AttributeError):
            detail = "not a readable save"
        out.append(SaveEntry(p, p.name, detail))
    return out


class SetupScreen(ModalScreen[Choice | None]):
    """Human or bot for every seat, and a seed, for a new game."""

    BINDINGS = [Binding("escape", "cancel", "Back")]
    DEFAULT_CSS = """
    SetupScreen { align: center middle; }
    SetupScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SetupScreen SelectionList { height: auto; max-height: 10; margin: 1 0 0 0; }
    SetupScreen #seed-row { height: 3; }
    SetupScreen #seed-row Label { width: auto; padding: 1 1 0 0; }
    SetupScreen #seed { width: 1fr; }
    SetupScreen #buttons { height: 3; align-horizontal: right; }
    SetupScreen .hint { color: $text-muted; }
    """

    def __init__(self, entry: CampaignEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]New game:[/b] {self.entry.title}", markup=True)
            yield Static("Space hands a seat to a bot or back to people; people share this terminal.", classes="hint")
            yield SelectionList[str](
                *[Selection(self._prompt(name, side, False), actor, False) for actor, name, side in self.entry.seats],
                id="bots",
            )
            with Horizontal(id="seed-row"):
                yield Label("Seed (blank: random)")
                yield Input(placeholder="only to repeat a game exactly", id="seed", type="integer")
            yield Static(
                "Leave the seed blank for a real exercise: anyone who knows it can work out every hand and roll.",
                classes="hint",
            )
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Start", id="start", variant="primary")

    @staticmethod
    def _prompt(name: str, side: str, bot: bool) -> str:
        """The seat, its side, and who plays it, in words (a tick's colour is not enough)."""
        return f"{name}  [dim]({side})[/dim] — " + ("[b]a bot[/b]" if bot else "people")

    @on(SelectionList.SelectionToggled, "#bots")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        seats = {actor: (name, side) for actor, name, side in self.entry.seats}
        lst = self.query_one("#bots", SelectionList)
        actor = event.selection.value
        name, side = seats[actor]
        lst.replace_option_prompt_at_index(event.selection_index, self._prompt(name, side, actor in lst.selected))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#start")
    @on(Input.Submitted, "#seed")
    def start(self) -> None:
        chosen = set(self.query_one("#bots", SelectionList).selected)
        bots = tuple(actor for actor, _, _ in self.entry.seats if actor in chosen)
        text = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(text) if text else None
        except ValueError:
            self.notify("The seed is a whole number (or blank for a random one).", severity="error")
            return
        self.dismiss(Choice("play", str(self.entry.path), bots, seed))


class SavePicker(ModalScreen[Path | None]):
    """A list of saves to resume or replay."""

    BINDINGS = [Binding("escape", "cancel", "Back")]
    DEFAULT_CSS = """
    SavePicker { align: center middle; }
    SavePicker > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SavePicker OptionList { height: auto; max-height: 16; }
    SavePicker .hint { color: $text-muted; }
    """

    def __init__(self, title: str, saves: list[SaveEntry], folder: Path | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.saves = saves
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b]  (enter to choose, escape to go back)", markup=True)
            if self.folder is not None:
                yield Static(f"in {shown(self.folder)}", id="picker-folder", classes="hint", markup=False)
            yield OptionList(*[Option(f"{s.label}\n  [dim]{s.detail}[/dim]", id=str(i)) for i, s in enumerate(self.saves)])

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.saves[int(event.option.id or 0)].path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LauncherApp(App[Choice | None]):
    """Campaigns on the left, the highlighted one's briefing on the right."""

    TITLE = "tabletop"
    SUB_TITLE = "hybrid-threat tabletop exercises"
    BINDINGS = [
        Binding("n,enter", "new_game", "New game", priority=False),
        Binding("r", "resume", "Resume a save"),
        Binding("d", "replay", "Debrief replay"),
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+q,q", "quit", "Quit"),
    ]
    DEFAULT_CSS = """
    #campaigns { width: 34%; min-width: 26; border: round $primary; }
    #preview { border: round $secondary; padding: 0 1; }
    #summary { color: $text-muted; margin-bottom: 1; }
    #launcher-main { height: 1fr; }
    #saves-folder { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, campaigns: list[CampaignEntry], saves_dir: Path) -> None:
        super().__init__()
        self.campaigns = campaigns
        self.saves_dir = saves_dir

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="launcher-main"):
            yield OptionList(
                *[Option(c.title if not c.problem else f"{c.title} (cannot load)", id=str(i))
                  for i, c in enumerate(self.campaigns)],
                id="campaigns",
            )
            with VerticalScroll(id="preview"):
                yield Static(id="summary")
                yield Markdown(id="briefing")
        yield Static(f"Saves: {shown(self.saves_dir)}", id="saves-folder", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#campaigns").border_title = "Campaigns"
        self.query_one("#preview").border_title = "Briefing"
        if self.campaigns:
            self.show(0)
        else:
            self.query_one("#summary", Static).update("No bundled campaigns found.")

    @property
    def selected(self) -> CampaignEntry | None:
        index = self.query_one("#campaigns", OptionList).highlighted
        return self.campaigns[index] if index is not None and self.campaigns else None

    def show(self, index: int) -> None:
        entry = self.campaigns[index]
        summary = self.query_one("#summary", Static)
        if entry.problem:
            summary.update(f"This campaign does not load:\n{entry.problem}\nRun `tabletop validate {entry.path}`.")
            self.query_one("#briefing", Markdown).update("")
            return
        summary.update(entry.summary)
        self.query_one("#briefing", Markdown).update(entry.briefing)

    @on(OptionList.OptionHighlighted, "#campaigns")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show(event.option_index)

    @on(OptionList.OptionSelected, "#campaigns")
    def selected_campaign(self) -> None:
        self.action_new_game()

    def action_new_game(self) -> None:
        entry = self.selected
        if entry is None:
            return
        if entry.problem:
            self.notify(f"{entry.path.name} does not load; fix it first.", severity="error")
            return
        self.push_screen(SetupScreen(entry), self._finish)

    def _pick(self, action: str, title: str) -> None:
        saves = read_saves(self.saves_dir)
        if not saves:
            self.notify(f"No saves in {shown(self.saves_dir)} yet: play a game first.", severity="warning")
            return

        def picked(path: Path | None) -> None:
            if path is not None:
                self.exit(Choice(action, str(path)))

        self.push_screen(SavePicker(title, saves, self.saves_dir), picked)

    def action_help(self) -> None:
        from tabletop.tui.screens.help import HelpScreen

        keys = [
            ("↑ ↓", "Choose a campaign; its briefing shows on the right (start with the tutorial)."),
            ("enter, n", "Set up a new game of it: who plays each seat (people at this keyboard, or bots), and a seed."),
            ("r", "Resume a save: carry on a game where it stopped."),
            ("d", "Debrief replay of a save: step through it, see every seat's view, fork a what-if."),
            ("?", "This help."),
            ("q, ctrl+q", "Quit."),
        ]
        self.push_screen(HelpScreen("the launcher", keys, None))

    def action_resume(self) -> None:
        self._pick("resume", "Resume a save")

    def action_replay(self) -> None:
        self._pick("replay", "Debrief replay of a save")

    def _finish(self, choice: Choice | None) -> None:
        if choice is not None:
            self.exit(choice)


#: the campaign a newcomer should start with: first in the launcher's list
TUTORIAL = "tutorial"


def build_launcher(saves_dir: Path | None = None) -> LauncherApp:
    """The launcher over the bundled campaigns (the tutorial first) and the saves in
    ``saves_dir`` (default: :func:`tabletop.files.saves_dir`, where new games are saved)."""
    paths = sorted(bundled_campaigns(), key=lambda p: p.stem != TUTORIAL)  # stable: the default comes next
    return LauncherApp(read_campaigns(paths), default_saves_dir() if saves_dir is None else saves_dir)
