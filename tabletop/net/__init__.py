"""Networked exercises: a host serves one game; each client plays one seat of it.

- :mod:`tabletop.net.protocol` — the messages (pydantic models) and limits;
- :mod:`tabletop.net.host` — :class:`~tabletop.net.host.Host`, the websocket server in
  front of a :class:`~tabletop.session.LocalSession`;
- :mod:`tabletop.net.client` — :class:`~tabletop.net.client.RemoteSession`, the same
  interface as a local session over the network, and a bot that plays a remote seat;
- :mod:`tabletop.net.codes` — join codes and their file beside the save.

See ``docs/protocol.md`` for the wire format.
"""
