"""The wire protocol between a host and its clients (see ``docs/protocol.md``).

Every message is one JSON object in one websocket text frame, with a ``type`` that says
which message it is. The pydantic models here are the definition: unknown types and
unknown fields are refused (``extra="forbid"``), and the host parses every frame a
client sends with :func:`parse_client` before it looks at it.

The host never sends a state, the seed or the journal header: only events, each already
redacted for the seat it goes to (:func:`tabletop.engine.views.redact`), from which the
client folds a mirror of what its seat may see, and the save's chain head (``head``: the
sha256 of the save's line of the last event sent, which is on the host's disk by then),
which a seat keeps as its receipt (:mod:`tabletop.journal.receipts`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

#: The protocol version this tabletop speaks. A host refuses a ``hello`` with any other.
#: 2: ``welcome``, ``events`` and ``ack`` carry ``head``, the save's chain head (receipts).
#: 3: the evaluator seat: ``hello`` may carry a ``name``; ``welcome`` says whose view a seat
#: is sent (``sees``), the name it joined as, and the evaluators; ``seats`` counts them.
PROTOCOL = 3
#: The largest frame a host accepts from a client (bytes). Larger: the connection closes (1009).
MAX_CLIENT_MESSAGE = 64 * 1024
#: The largest frame a client accepts from a host (a ``welcome`` carries the whole history).
MAX_HOST_MESSAGE = 64 * 1024 * 1024
#: Per-connection rate limit: a token bucket refilled at RATE per second, holding BURST.
RATE = 20.0
BURST = 40
#: The longest ``name`` a hello may carry at all; the host refuses more than 60
#: characters (``bad_name``: see :func:`tabletop.net.evaluation.clean_name`).
MAX_NAME = 200
#: Failed joins per client address (a wrong code, a bad or missing hello): a token bucket
#: holding JOIN_BURST, refilled at JOIN_RATE a minute. Beyond it, every join from that
#: address is refused (``too_many_joins``) until the bucket refills.
JOIN_RATE = 10.0
JOIN_BURST = 10
#: What the connections of a shared seat (the evaluators, the observers) write into the
#: journal together: a token bucket holding WRITE_BURST, refilled at WRITE_RATE a second
#: (however many connections share the code, the save grows no faster). And the most
#: evaluators' names recorded (a name is recorded when an evaluator first joins with it).
WRITE_RATE = 2.0
WRITE_BURST = 30
MAX_EVALUATOR_NAMES = 100

# Error codes the host sends in ``error`` messages.
BAD_MESSAGE = "bad_message"  # not JSON, unknown type, missing or unknown fields
EXPECTED_HELLO = "expected_hello"  # the first message was not a hello
BAD_VERSION = "bad_version"  # hello with another protocol version
BAD_CODE = "bad_code"  # no seat has that join code
BAD_NAME = "bad_name"  # hello with a name of more than 60 characters, or not printable
TOO_MANY_JOINS = "too_many_joins"  # too many failed joins from this address just now
RATE_LIMITED = "rate_limited"  # too many messages; sustained flooding closes the connection
FORBIDDEN = "forbidden"  # a control message from a seat that is not the facilitator
REPLACED = "replaced"  # another connection joined with this seat's code
TOO_SLOW = "too_slow"  # the client read too slowly and fell too far behind
HOST_CLOSING = "host_closing"  # the host shuts down

REFUSAL_KINDS = ("malformed", "illegal", "stale")

SeatStatus = Literal["connected", "waiting", "bot"]
Controller = Literal["human", "bot"]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# ============================================================================ client -> host


class Hello(_Message):
    """The first message of every connection: the protocol version, the seat's join code,
    and (optionally) the participant's name, which the host records as the author of what
    this connection writes (observations, hotwash answers)."""

    type: Literal["hello"]
    protocol: int
    code: Annotated[str, Field(max_length=200)]
    name: Annotated[str, Field(max_length=MAX_NAME)] = ""


class CommandMessage(_Message):
    """A command for the client's own seat, made against the state after event ``state_seq``.

    ``id`` (optional) is echoed in the ``ack`` or ``refused`` that answers it.
    """

    type: Literal["command"]
    state_seq: Annotated[int, Field(ge=0)]
    command: dict[str, Any]
    id: int | None = None


class Control(_Message):
    """Facilitator only: hand ``seat`` to a host-run bot, or back to its human player."""

    type: Literal["control"]
    seat: Annotated[str, Field(max_length=200)]
    controller: Controller
    id: int | None = None


ClientMessage = Annotated[Hello | CommandMessage | Control, Field(discriminator="type")]
_CLIENT = TypeAdapter(ClientMessage)


# ============================================================================ host -> client


class Welcome(_Message):
    """The answer to a good hello: the seat, the campaign, and the seat's redacted history.

    ``events`` are every event so far (seq 1..``seq``) as this seat may see them; folding
    them with :meth:`tabletop.engine.rules.Engine.apply` gives the client's mirror.
    """

    type: Literal["welcome"]
    protocol: int
    seat: str
    campaign_text: str
    seq: int
    events: list[dict[str, Any]]
    awaiting: list[str]
    controllers: dict[str, Controller]
    seats: dict[str, SeatStatus]
    observers: int
    host_version: str
    #: the save's chain head after event ``seq`` (None: the host keeps no save)
    head: str | None = None
    #: whose view this seat's events are redacted for (None: its own; ``facilitator`` for
    #: evaluators when the host lets them see everything)
    sees: str | None = None
    #: the name this connection writes as (from its hello, or the seat's default)
    name: str = ""
    #: how many evaluators are connected
    evaluators: int = 0


class ClockTold(_Message):
    """The exercise's clock as the host read it when it sent these events (seconds left;
    negative: over time). The seat counts down from it until the next message."""

    turn_left: float | None = None
    round_left: float | None = None
    actor: str | None = None
    paused: bool = False
    on_timeout: Literal["pass", "wait"] = "pass"


class Events(_Message):
    """New events (redacted for this seat), numbered ``from_seq``, ``from_seq + 1``, …"""

    type: Literal["events"]
    from_seq: int
    events: list[dict[str, Any]]
    awaiting: list[str]
    #: the save's chain head after the last of these events (None: the host keeps no save)
    head: str | None = None
    #: the clock, when the exercise has time boxes (absent: no clock)
    clock: ClockTold | None = None


class Seats(_Message):
    """Who is at which seat now: sent when a connection comes or goes, or a seat changes hands."""

    type: Literal["seats"]
    seats: dict[str, SeatStatus]
    controllers: dict[str, Controller]
    observers: int
    evaluators: int = 0


class Ack(_Message):
    """The command ``id`` was accepted; its events (through ``seq``) are on the host's disk.

    ``head`` is the save's chain head after event ``seq`` (None: the host keeps no save).
    """

    type: Literal["ack"]
    seq: int
    id: int | None = None
    head: str | None = None


class Refused(_Message):
    """The command ``id`` was refused and changed nothing. ``reason`` is a sentence for a player."""

    type: Literal["refused"]
    reason: str
    kind: Literal["malformed", "illegal", "stale"]
    id: int | None = None


class Error(_Message):
    """A protocol problem. After a handshake error the host closes the connection."""

    type: Literal["error"]
    code: str
    message: str


HostMessage = Annotated[Welcome | Events | Seats | Ack | Refused | Error, Field(discriminator="type")]
_HOST = TypeAdapter(HostMessage)


class ProtocolError(ValueError):
    """A frame that is not a valid message; ``str()`` says why, in one sentence."""


def _first_problem(e: ValidationError) -> str:
    err = e.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"])
    msg = err["msg"]
    if err["type"] == "json_invalid":
        return "The message is not valid JSON."
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return "The message has no known `type` (expected one of: hello, command, control)."
    if not where and err["type"] in ("model_type", "model_attributes_type", "dict_type"):
        return "A message must be a JSON object with a `type`."
    return f"The message is not valid: {where}: {msg}." if where else f"The message is not valid: {msg}."


def parse_client(frame: str | bytes) -> Hello | CommandMessage | Control:
    """The client message in ``frame``; raises :class:`ProtocolError` naming the first problem."""
    try:
        return _CLIENT.validate_json(frame)
    except ValidationError as e:
        raise ProtocolError(_first_problem(e)) from None


def parse_host(frame: str | bytes) -> Welcome | Events | Seats | Ack | Refused | Error:
    """The host message in ``frame``; raises :class:`ProtocolError` naming the first problem."""
    try:
        return _HOST.validate_json(frame)
    except ValidationError as e:
        raise ProtocolError(_first_problem(e)) from None


def dump(message: dict[str, Any]) -> str:
    """A message dict as the compact JSON text of one frame."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def error(code: str, message: str) -> str:
    return dump({"type": "error", "code": code, "message": message})
