"""The server behind :mod:`cli_process`: an interpreter that has imported tabletop's commands once
and forks a process for each ``tabletop`` command line the tests run.

Started by :func:`cli_process.run_tabletop` as ``python cli_zygote.py SOCKET``. It imports every
module of ``tabletop.commands`` (about 0.35 s of each fresh ``python -m tabletop``: the
campaign model's pydantic classes above all), listens on the Unix socket ``SOCKET``
(``SOCK_SEQPACKET``: a request is one message) and, for each request, forks a monitor that
forks the command's process and reports how it ended (it ends when its standard input
closes):

- request: one JSON message ``{"args", "cwd", "env"}`` carrying three file descriptors,
  the process's stdin, stdout and stderr;
- answers: ``{"pid": N}`` once it runs, then ``{"status": S}`` (``os.waitpid``'s).

The process is set up as ``python -m tabletop ARGS`` would be, in the request's folder and
environment: descriptors 0-2, ``os.environ``, ``sys.argv``, ``sys.path`` (the folder
first), ``sys.stdin``/``stdout``/``stderr`` made anew for the environment, and on the way out
the interpreter's own exit: ``SystemExit``'s code, a traceback and 1 for an uncaught
exception, non-daemon threads joined, ``atexit`` run, the streams flushed.
"""

from __future__ import annotations

import atexit
import importlib
import io
import json
import os
import pkgutil
import runpy
import selectors
import signal
import socket
import sys
import threading
from typing import Any


def _exit_code(exit: SystemExit) -> int:
    """The exit status ``SystemExit`` gives an interpreter (as ``Py_Exit`` does)."""
    code = exit.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _new_stdio(env: dict[str, str]) -> None:
    """``sys.stdin``/``stdout``/``stderr`` on descriptors 0-2, as a fresh interpreter makes
    them under ``env`` (the encodings are UTF-8: :mod:`cli_process` sends any other locale to a
    fresh interpreter)."""
    unbuffered = bool(env.get("PYTHONUNBUFFERED"))

    def stream(fd: int, mode: str, errors: str, line_buffering: bool) -> io.TextIOWrapper:
        raw = io.FileIO(fd, mode, closefd=False)
        buffered: io.BufferedIOBase = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        return io.TextIOWrapper(buffered, encoding="utf-8", errors=errors, line_buffering=line_buffering,
                                write_through=unbuffered and mode == "w")

    sys.stdin = sys.__stdin__ = stream(0, "r", "strict", False)
    sys.stdout = sys.__stdout__ = stream(1, "w", "strict", False)
    sys.stderr = sys.__stderr__ = stream(2, "w", "backslashreplace", True)


def _command(request: dict[str, Any], fds: list[int], base_path: list[str]) -> None:
    """Become ``python -m tabletop ARGS`` as the request says; never returns."""
    code = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        env: dict[str, str] = request["env"]
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(env)
        sys.dont_write_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))
        extra = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        sys.path[:] = [os.getcwd(), *extra, *base_path]
        _new_stdio(env)
        sys.argv = ["-m", *request["args"]]
        try:
            runpy.run_module("tabletop", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exit:
            code = _exit_code(exit)
        except BaseException:
            sys.excepthook(*sys.exc_info())
            code = 1
        threading._shutdown()  # type: ignore[attr-defined]  # as the interpreter does at exit
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001  # a closed or broken stream: the interpreter ignores it too
                pass
    finally:
        os._exit(code)


def _monitor(conn: socket.socket, request: dict[str, Any], fds: list[int], base_path: list[str]) -> None:
    """Fork the command, tell its pid, wait for it and tell how it ended; never returns."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        pid = os.fork()
        if pid == 0:
            conn.close()
            _command(request, fds, base_path)
        for fd in fds:
            os.close(fd)
        conn.send(json.dumps({"pid": pid}).encode())
        _, status = os.waitpid(pid, 0)
        conn.send(json.dumps({"status": status}).encode())
    finally:
        os._exit(0)


def _reap(*_: object) -> None:
    """Collect the monitors that have ended (so their CPU time is counted, as a test
    run's own children's is)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def serve(path: str) -> None:
    """Serve requests on ``path`` until standard input closes (the test process has ended
    or stops it), then wait for every run still going and exit."""
    import tabletop.commands

    for module in pkgutil.iter_modules(tabletop.commands.__path__):
        importlib.import_module(f"tabletop.commands.{module.name}")
    importlib.import_module("tabletop.cli")
    base_path = sys.path[1:]  # without this file's folder
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(16)
    signal.signal(signal.SIGCHLD, _reap)
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ)
    events.register(0, selectors.EVENT_READ)
    print("ready", flush=True)
    while True:
        for key, _mask in events.select():
            if key.fileobj != listener:
                if not os.read(0, 1024):
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    try:
                        while True:
                            os.wait()
                    except ChildProcessError:
                        return
                continue
            conn, _ = listener.accept()
            with conn:
                message, fds, _flags, _addr = socket.recv_fds(conn, 1 << 20, 3)
                if not message:
                    continue
                if os.fork() == 0:
                    listener.close()
                    _monitor(conn, json.loads(message), fds, base_path)
                for fd in fds:
                    os.close(fd)


if __name__ == "__main__":
    serve(sys.argv[1])
