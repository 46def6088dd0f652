"""Conditions and phase triggers in words: what a card promises, and why a trigger did not fire.

Pure functions over a :class:`~tabletop.campaign.model.Campaign` (and, for the why, the
``env`` the condition was read in). Every name is the campaign's name for it, never an id:
tracks, hidden values, actors, cards and phases.

* :func:`condition_words` — a condition as a sentence: ``Allied cohesion is at most 3``;
* :func:`unmet_words` / :func:`held_words` — only the parts of a condition that made it
  false (or true) in ``env``, each as a true statement: ``Allied cohesion is not at most 3``;
* :func:`explain_unmet` — why a trigger left the crisis where it was:
  ``the crisis stays in Military tension: Allied cohesion is not at most 3``;
* :func:`trigger_promise` — what a card or inject that fires a trigger may do, with the
  conditions and the phases it works from (for card previews: never an unconditional
  promise);
* :func:`unmet_reads` — the names an :func:`explain_unmet` sentence may depend on (so the
  caller can tell whether it reads a hidden value a seat does not know);
* :func:`shortfall` — the parts of a condition that fail in ``env``, each with the
  values it read: ``Escalation risk is 3, it needs 4 or more``;
* :func:`transition_lines` — a transition explained for the phase screen: the author's
  label (or its condition) and how it fires, each said once.

Hidden values are named like tracks (their ``name``); the words never contain a value, so
whoever shows them decides who may see which sentence — but for :func:`shortfall`, which
also says which names each part read, and :func:`transition_lines`, which says the values
its caller passes as known.

It runs past 500 lines because every one of these sentences is built by one word builder
(``_Words``: names, verbs for plural names, rounds, phases, the operators in words), so
that a condition reads the same on a card, in a refusal, on the phase screen and in the
log; split, the builder's private helpers would cross module lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from tabletop.campaign.condition_calls import split_key
from tabletop.campaign.condition_nodes import (
    Add,
    And,
    CompareNumbers,
    CompareOp,
    CompareTexts,
    ConditionNode,
    Flag,
    Int,
    Neg,
    Not,
    NumberIn,
    NumberName,
    NumberNode,
    Or,
    Sub,
    Text,
    TextIn,
    TextName,
    TextNode,
    Truth,
)
from tabletop.campaign.model import Campaign, Transition
from tabletop.campaign.plural import whose

__all__ = [
    "condition_words",
    "explain_unmet",
    "held_words",
    "leaving",
    "shortfall",
    "transition_lines",
    "trigger_name",
    "trigger_promise",
    "unmet_reads",
    "unmet_words",
]

Env = Mapping[str, int | str]

#: ``x <op> k`` in words, and the same comparison denied.
_SAYS = {">=": "is at least", ">": "is more than", "<=": "is at most", "<": "is less than", "==": "is", "!=": "is not"}
_DENIES = {
    ">=": "is not at least",
    ">": "is not more than",
    "<=": "is not at most",
    "<": "is not less than",
    "==": "is not",
    "!=": "is",
}
#: The comparison that holds exactly when ``op`` does not.
_NEGATE: dict[CompareOp, CompareOp] = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}


def _round_words(op: CompareOp, k: int) -> str:
    """``round <op> k`` as people say it: "from round 6", "until round 6", "before round
    3", "in round 2" (``Needs: until round 6.``)."""
    return {
        ">=": f"from round {k}",
        ">": f"from round {k + 1}",
        "<=": f"until round {k}",
        "<": f"before round {k}",
        "==": f"in round {k}",
        "!=": f"in any round but {k}",
    }[op]


#: ``Poland has at least 3 resources``, and denied.
_HAS = {">=": "has at least", ">": "has more than", "<=": "has at most", "<": "has fewer than", "==": "has exactly", "!=": "does not have exactly"}
_HAS_NOT = {
    ">=": "does not have at least",
    ">": "does not have more than",
    "<=": "does not have at most",
    "<": "does not have fewer than",
    "==": "does not have exactly",
    "!=": "has exactly",
}


def _and_list(parts: Sequence[str], word: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def _titled(title: str) -> str:
    """A card's title to put between "the" and "card": quoted if it has an article of its
    own (``the ‘A large group at the crossing’ card``), else as it is."""
    return f"‘{title}’" if title.split(" ", 1)[0].lower() in ("a", "an", "the") else title


def trigger_name(trigger: str) -> str:
    """A trigger as words: ``article_4`` -> ``article 4``."""
    return trigger.replace("_", " ")


class _Words:
    """Words for the names of one campaign."""

    def __init__(self, campaign: Campaign, values: Mapping[str, int | str] | None = None) -> None:
        self.c = campaign
        self.values = values or {}  # hidden values to say beside their names (the reader knows them)

    # ---------------------------------------------------------------- names

    def phase(self, phase_id: str) -> str:
        p = self.c.phase_by_id.get(phase_id)
        return p.name if p is not None else phase_id

    def actor(self, actor_id: str) -> str:
        a = self.c.actor_by_id.get(actor_id)
        return a.name if a is not None else actor_id

    def card(self, card_id: str) -> str:
        card = self.c.card_by_id.get(card_id)
        return card.title if card is not None else card_id

    def name(self, name: str) -> str:
        """A number or text name: a track, a hidden value, ``round``, ``resources:x``."""
        if name in self.c.track_by_id:
            return self.c.track_by_id[name].name
        if name in self.c.hidden_by_id:
            known = self.values.get(name)
            return self.c.hidden_by_id[name].name + (f" ({known})" if known is not None else "")
        if name == "round":
            return "the round"
        if name == "phase":
            return "the crisis phase"
        fn, subject, _ = split_key(name)
        if fn == "resources":
            return whose(self.actor(subject), "resources")
        return name

    def verb(self, words: str, subject: NumberNode | TextNode) -> str:
        """``words`` (``is at least``, ``is not``...) agreeing with ``subject``: ``are at
        least`` after a track or hidden value whose name is plural (``Graduated response
        plans``; see :meth:`Campaign.names_many`); a number, a sum, the round: ``is``."""
        if isinstance(subject, (NumberName, TextName)) and self.c.names_many(subject.name):
            return "are" + words.removeprefix("is")
        return words

    # ---------------------------------------------------------------- values

    def number(self, node: NumberNode, nested: bool = False) -> str:
        if isinstance(node, Int):
            return str(node.value)
        if isinstance(node, NumberName):
            return self.name(node.name)
        if isinstance(node, Neg):
            return f"minus {self.number(node.operand, True)}"
        op = "plus" if isinstance(node, Add) else "minus"
        text = f"{self.number(node.left, True)} {op} {self.number(node.right, True)}"
        return f"({text})" if nested else text

    def text(self, node: TextNode) -> str:
        if isinstance(node, Text):
            return f"'{node.value}'"
        return self.name(node.name)

    def text_value(self, name_node: TextNode, value: str) -> str:
        """A text value as named: a phase's name for ``phase``, else quoted."""
        if isinstance(name_node, TextName) and name_node.name == "phase":
            return self.phase(value)
        return f"'{value}'"

    # ---------------------------------------------------------------- leaves

    def compare(self, node: CompareNumbers, holds: bool) -> str:
        left, op, right = node.number_last()  # ``6 <= x`` reads ``x is at least 6``
        if isinstance(left, NumberName) and left.name == "round" and isinstance(right, Int):
            return _round_words(op if holds else _NEGATE[op], right.value)
        if isinstance(left, NumberName) and split_key(left.name)[0] == "resources" and isinstance(right, Int):
            who = self.actor(split_key(left.name)[1])
            n = right.value
            noun = "resource" if abs(n) == 1 else "resources"
            return f"{who} {(_HAS if holds else _HAS_NOT)[op]} {n} {noun}"
        return f"{self.number(left)} {self.verb((_SAYS if holds else _DENIES)[op], left)} {self.number(right)}"

    def compare_texts(self, node: CompareTexts, holds: bool) -> str:
        equal = (node.op == "==") is holds
        left, right = node.left, node.right
        if isinstance(left, Text) and not isinstance(right, Text):
            left, right = right, left
        if isinstance(left, TextName) and left.name == "phase" and isinstance(right, Text):
            return f"the crisis is {'' if equal else 'not '}in {self.phase(right.value)}"
        right_words = self.text_value(left, right.value) if isinstance(right, Text) else self.text(right)
        return f"{self.text(left)} {self.verb('is' if equal else 'is not', left)} {right_words}"

    def member(self, node: NumberIn | TextIn, holds: bool) -> str:
        inside = holds is not node.negated
        if isinstance(node, NumberIn):
            subject = self.number(node.left)
            items = [str(v) for v in sorted(node.items)]
        else:
            subject = self.text(node.left)
            items = [self.text_value(node.left, v) for v in sorted(node.items)]
        if isinstance(node.left, TextName) and node.left.name == "phase":
            if len(items) == 1:
                return f"the crisis is {'' if inside else 'not '}in {items[0]}"
            if inside:
                return f"the crisis is in {_and_list(items, 'or')}"
            if len(items) == 2:
                return f"the crisis is neither in {items[0]} nor in {items[1]}"
            return f"the crisis is in none of {_and_list(items)}"
        if len(items) == 1:
            return f"{subject} {self.verb('is' if inside else 'is not', node.left)} {items[0]}"
        if not items:
            return "never" if inside else "always"
        said = self.verb("is one of" if inside else "is none of", node.left)
        return f"{subject} {said} {_and_list(items, 'or' if inside else 'and')}"

    def flag(self, node: Flag, holds: bool) -> str:
        """``the Article 4 card has been played (by Poland) (this round)``, or denied."""
        return self.flags([node], holds, "and")

    def flags(self, nodes: Sequence[Flag], holds: bool, word: str) -> str:
        """Cards played (or not), all with the same ``by`` and round, joined by ``word``:
        ``the A or B card has been played``, ``the A and B cards have been played``,
        ``neither the A nor the B card has been played``, ``the A and B cards have not
        both been played``."""
        fn, _, by = split_key(nodes[0].key)
        titles = [_titled(self.card(split_key(n.key)[1])) for n in nodes]
        tail = (f" by {self.actor(by)}" if by is not None else "") + (" this round" if fn == "played_this_round" else "")
        if len(titles) == 1:
            return f"the {titles[0]} card {'has' if holds else 'has not'} been played{tail}"
        if holds:
            if word == "or":
                return f"the {_and_list(titles, 'or')} card has been played{tail}"
            return f"the {_and_list(titles)} cards have been played{tail}"
        if word == "and":  # a denied "or": none of them
            if len(titles) == 2:
                return f"neither the {titles[0]} nor the {titles[1]} card has been played{tail}"
            return f"none of the {_and_list(titles)} cards has been played{tail}"
        both = "both" if len(titles) == 2 else "all"
        return f"the {_and_list(titles)} cards have not {both} been played{tail}"

    def _same_flags(self, parts: Sequence[ConditionNode]) -> list[Flag] | None:
        """``parts`` as flags, if every one is a card played by the same seat in the same
        span (so they read as one sentence); else None."""
        if len(parts) < 2 or not all(isinstance(p, Flag) for p in parts):
            return None
        flags = [p for p in parts if isinstance(p, Flag)]
        kinds = {(split_key(f.key)[0], split_key(f.key)[2]) for f in flags}
        return flags if len(kinds) == 1 else None

    # ---------------------------------------------------------------- whole conditions

    def says(self, node: ConditionNode, holds: bool = True, nested: bool = False) -> str:
        """``node`` (or, with ``holds=False``, its denial) as words."""
        if isinstance(node, Truth):
            return "always" if node.value is holds else "never"
        if isinstance(node, CompareNumbers):
            return self.compare(node, holds)
        if isinstance(node, CompareTexts):
            return self.compare_texts(node, holds)
        if isinstance(node, (NumberIn, TextIn)):
            return self.member(node, holds)
        if isinstance(node, Flag):
            return self.flag(node, holds)
        if isinstance(node, Not):
            return self.says(node.operand, not holds, nested)
        # And / Or: a denied ``and`` is an ``or`` of denials, and the other way round
        conj = isinstance(node, And) is holds
        word = "and" if conj else "or"
        flags = self._same_flags(node.parts)
        if flags is not None:
            return self.flags(flags, holds, word)
        parts = [self.says(p, holds, True) for p in node.parts]
        text = _and_list(parts, word)
        if nested:
            return f"({text})" if len(parts) > 2 else f"{'both' if conj else 'either'} {text}"
        return text

    def why(self, node: ConditionNode, env: Env, holds: bool) -> list[str]:
        """True statements that explain why ``node`` evaluates to ``holds`` in ``env``."""
        # a constant is said as what it is ("never"), not as its denial ("not never")
        return [
            ("always" if leaf.value else "never") if isinstance(leaf, Truth) else self.says(leaf, value)
            for leaf, value in why_leaves(node, env, holds)
        ]


#: A condition that is not ``and``, ``or`` or ``not``: one statement.
Leaf = Truth | Flag | CompareNumbers | CompareTexts | NumberIn | TextIn


def why_leaves(node: ConditionNode, env: Env, holds: bool) -> list[tuple[Leaf, bool]]:
    """The leaves that make ``node`` evaluate to ``holds`` in ``env``, each with its value there.

    A false ``and``: its false parts; a true ``or``: its true parts; a true ``and`` or a
    false ``or``: all its parts; ``not`` flips. Every leaf listed has the value given in
    ``env``, and together they force ``node``'s value, whatever the other leaves are.
    """
    if isinstance(node, Not):
        return why_leaves(node.operand, env, not holds)
    if isinstance(node, (And, Or)):
        some = isinstance(node, And) is not holds
        parts = [p for p in node.parts if p.evaluate(env) is holds] if some else list(node.parts)
        out: list[tuple[Leaf, bool]] = []
        for p in parts:
            out.extend(why_leaves(p, env, holds))
        return out
    return [(node, holds)]


def _tree(campaign: Campaign, text: str) -> ConditionNode:
    return campaign.condition(text).tree


def condition_words(campaign: Campaign, text: str, known: Mapping[str, int | str] | None = None) -> str:
    """The condition ``text`` as words: ``Allied cohesion is at most 3 and the round is at least 8``.

    ``known``: the values the reader knows (a view's); a hidden value among them is said
    with its value beside its name (``Tension is at least Northmark's red line (8)``), as
    in :func:`transition_lines`. The words then hold that value: pass only what the reader
    may see."""
    hidden = {k: v for k, v in (known or {}).items() if k in campaign.hidden_by_id}
    return _Words(campaign, hidden).says(_tree(campaign, text))


def unmet_words(campaign: Campaign, text: str, env: Env) -> str:
    """Why the condition ``text`` is false in ``env``: the parts that fail, denied, joined with "and".

    For ``and``, the parts that are false; for ``or``, every part. ``''`` if it holds.
    """
    tree = _tree(campaign, text)
    if tree.evaluate(env):
        return ""
    return _and_list(list(dict.fromkeys(_Words(campaign).why(tree, env, False))))


def held_words(campaign: Campaign, text: str, env: Env) -> str:
    """Why the condition ``text`` holds in ``env`` (the parts that hold); ``''`` if it does not."""
    tree = _tree(campaign, text)
    if not tree.evaluate(env):
        return ""
    return _and_list(list(dict.fromkeys(_Words(campaign).why(tree, env, True))))


#: what ``x <op> k`` needs of ``x``: ``4 or more``
_NEEDS = {">=": "{} or more", ">": "more than {}", "<=": "{} or less", "<": "less than {}", "==": "exactly {}", "!=": "anything but {}"}


def _round_needed(op: CompareOp, k: int) -> str:
    """What ``round <op> k`` needs, said after ``it needs``: ``round 6 or earlier``, ``round
    7 or later`` (for ``> 6``), ``round 2``, ``any round but 2``."""
    if op == ">":
        op, k = ">=", k + 1
    if op == "<" and k > 1:
        op, k = "<=", k - 1
    return {
        ">=": f"round {k} or later", "<=": f"round {k} or earlier", "<": f"a round before {k}",
        "==": f"round {k}", "!=": f"any round but {k}",
    }[op]


class _Reads(Mapping[str, int | str]):
    """``env``, noting every name read from it."""

    def __init__(self, env: Env) -> None:
        self.env, self.read = env, dict[str, int | str]()

    def __getitem__(self, key: str) -> int | str:
        self.read[key] = self.env[key]
        return self.read[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.env)

    def __len__(self) -> int:
        return len(self.env)


def _short_words(w: _Words, leaf: Leaf, env: Env, read: Mapping[str, int | str]) -> str:
    """A failing ``leaf`` with the values it read: ``Escalation risk is 3, it needs 4 or more``."""
    if isinstance(leaf, CompareNumbers):
        left, op, right = leaf.number_last()
        if isinstance(left, NumberName) and isinstance(right, Int):
            value, k = env[left.name], right.value
            if left.name == "round":
                return f"it is round {value}, it needs {_round_needed(op, k)}"
            need = _NEEDS[op].format(k)
            fn, subject, _ = split_key(left.name)
            if fn == "resources":
                return f"{w.actor(subject)} has {value} resource{'' if value == 1 else 's'}, it needs {need}"
            return f"{w.name(left.name)} is {value}, it needs {need}"
        values = [f"{w.name(n)} {v}" for n, v in read.items() if not isinstance(v, str)]
        return w.says(leaf, False) + (f" ({', '.join(values)})" if values else "")
    return ("never" if leaf.value else "always") if isinstance(leaf, Truth) else w.says(leaf, False)


def shortfall(campaign: Campaign, text: str, env: Env) -> list[tuple[str, frozenset[str]]]:
    """Why the condition ``text`` is false in ``env``: the parts that fail (as
    :func:`unmet_words` picks them), each as words with the values it read (``Escalation
    risk is 3, it needs 4 or more``; ``Deterrence is not less than Escalation risk
    (Deterrence 5, Escalation risk 4)``) and the names and call keys it read. Together
    they make the condition false, whatever its other parts. Empty if it holds.

    The words hold values: the caller shows them only to a seat that knows every name read.
    """
    tree = _tree(campaign, text)
    if tree.evaluate(env):
        return []
    w = _Words(campaign)
    out: dict[str, frozenset[str]] = {}
    for leaf, _ in why_leaves(tree, env, False):
        reads = _Reads(env)
        leaf.evaluate(reads)
        out.setdefault(_short_words(w, leaf, env, reads.read), frozenset(reads.read))
    return list(out.items())


def _leaves(campaign: Campaign, t: Transition, phase: str) -> bool:
    if phase in {p.id for p in campaign.phases.states if p.terminal}:
        return False
    return t.source == "*" or phase in t.sources


def leaving(campaign: Campaign, trigger: str, phase: str) -> list[Transition]:
    """The transitions named ``trigger`` that leave ``phase``, in the campaign's order."""
    return [t for t in campaign.phases.transitions if t.trigger == trigger and _leaves(campaign, t, phase)]


def _sources(campaign: Campaign, transitions: Sequence[Transition]) -> list[str]:
    """The phases (ids, in the campaign's order) these transitions leave from."""
    ids: set[str] = set()
    for t in transitions:
        if t.source == "*":
            ids.update(p.id for p in campaign.phases.states if not p.terminal)
        else:
            ids.update(t.sources)
    return [p.id for p in campaign.phases.states if p.id in ids]


def _from_words(w: _Words, campaign: Campaign, transitions: Sequence[Transition]) -> str:
    if any(t.source == "*" for t in transitions):
        return "from any phase"
    return "from " + _and_list([w.phase(p) for p in _sources(campaign, transitions)], "or")


def explain_unmet(campaign: Campaign, trigger: str, phase: str, env: Env) -> str:
    """Why ``trigger`` did not move the crisis out of ``phase``, read in ``env``, as words.

    ``the crisis stays in Military tension: Allied cohesion is not at most 3`` — the parts
    of the transition's condition that fail, denied (for ``and``, the false parts; for
    ``or``, all of them); with several transitions, each is named by where it leads;
    ``the crisis stays in Baseline: that move goes only from Military tension to Allied
    consultations (Art. 4)`` when no
    transition with that trigger leaves ``phase``.
    """
    w = _Words(campaign)
    stays = f"the crisis stays in {w.phase(phase)}"
    if phase in {p.id for p in campaign.phases.states if p.terminal}:
        return f"{stays}: the exercise has ended there"
    named = [t for t in campaign.phases.transitions if t.trigger == trigger]
    if not named:
        return f"{stays}: no transition is called {trigger_name(trigger)}"
    out = leaving(campaign, trigger, phase)
    if not out:
        dests = _and_list(list(dict.fromkeys(w.phase(t.dest) for t in named)), "or")
        return f"{stays}: that move goes only {_from_words(w, campaign, named)} to {dests}"
    reasons: list[tuple[str, str]] = []
    for t in out:
        if t.when is None:
            return stays  # it would have fired: nothing stopped it
        why = unmet_words(campaign, t.when, env)
        if not why:
            return stays
        reasons.append((w.phase(t.dest), why))
    if len(reasons) == 1:
        return f"{stays}: {reasons[0][1]}"
    return f"{stays}: " + "; ".join(f"for {dest}, {why}" for dest, why in reasons)


def unmet_reads(campaign: Campaign, trigger: str, phase: str) -> frozenset[str]:
    """Every name and call key the :func:`explain_unmet` sentence for ``trigger`` in ``phase``
    may depend on (the names the leaving transitions' conditions read)."""
    names: set[str] = set()
    for t in leaving(campaign, trigger, phase):
        if t.when is not None:
            names |= campaign.condition(t.when).names
    return frozenset(names)


def trigger_promise(campaign: Campaign, trigger: str, phase: str | None = None) -> str:
    """What an effect firing ``trigger`` may do, for a card's preview; never a bare promise.

    ``may move the crisis from Border crisis to Military tension, if Military escalation
    risk is at least 7``; several transitions are joined with ``; or``. With the
    phase the game is in now, says when the trigger cannot fire from it
    (``— not from Baseline, where the crisis is now``).
    """
    w = _Words(campaign)
    named = [t for t in campaign.phases.transitions if t.trigger == trigger]
    if not named:
        return f"fires {trigger_name(trigger)}, which no transition answers"
    options = []
    for t in named:
        text = f"{_from_words(w, campaign, [t])} to {w.phase(t.dest)}"
        if t.when is not None:
            text += f", if {w.says(_tree(campaign, t.when))}"
        options.append(text)
    out = "may move the crisis " + "; or ".join(options)
    if phase is not None and phase in campaign.phase_by_id:
        if not leaving(campaign, trigger, phase):
            out += f" — not from {w.phase(phase)}, where the crisis is now"
    return out


#: how a transition fires, said under its words (:func:`transition_lines`)
AUTOMATIC = "automatic at the phase check"
BY_TRIGGER = "when a card, an inject or the facilitator triggers it"  # not "only": a label may say "Only by …"
#: a label that already says how its transition fires (an automatic one; one only by trigger)
_SAYS_AUTOMATIC = re.compile(r"\bautomatic", re.IGNORECASE)
_SAYS_TRIGGER = re.compile(r"\btrigger", re.IGNORECASE)


def transition_lines(campaign: Campaign, t: Transition, known: Mapping[str, int | str] | None = None) -> list[str]:
    """The lines that explain transition ``t`` under its heading (the phase screen's).

    The author's label, else ``when`` and its condition in words; then how it fires
    (:data:`AUTOMATIC` or :data:`BY_TRIGGER`), unless the label says so already
    ("Automatic: price 5 or more" is not followed by "automatic at the phase check").

    ``known``: the hidden values the reader knows (a revealed red line). A label was
    written while they were secret ("Northmark's hidden red line (7 to 9)"), so once one
    its condition reads is known, the condition in words, with the value, takes the
    label's place: ``when Tension is at least Northmark's red line (8) or …``.
    """
    label = " ".join(t.label.split())
    reads = campaign.condition(t.when).names if t.when is not None else frozenset()
    told = {k: v for k, v in (known or {}).items() if k in reads and k in campaign.hidden_by_id}
    said = label if label and not told else ""  # the author's words, if shown
    lines = [said] if said else []
    if not said and t.when is not None:
        lines.append(f"when {_Words(campaign, told).says(_tree(campaign, t.when))}")
    if t.is_auto:
        if not _SAYS_AUTOMATIC.search(said):
            lines.append(AUTOMATIC)
    elif not _SAYS_TRIGGER.search(said):
        lines.append(BY_TRIGGER)
    return lines
