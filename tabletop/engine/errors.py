"""Why a command was refused. Both are ``ValueError``s, split by cause.

- :class:`MalformedCommand`: the command cannot mean anything (unknown card, wrong
  type, a track that does not exist). A bug or a hostile client.
- :class:`IllegalCommand`: it makes sense, but not now (not your turn, not enough
  resources, the card is not playable in this phase).

The message is a sentence a player understands.
"""


class CommandError(ValueError):
    """A command was refused; the state is unchanged."""


class MalformedCommand(CommandError):
    """The command is not well formed or names things that do not exist."""


class IllegalCommand(CommandError):
    """The command is well formed but not allowed in the current state."""
