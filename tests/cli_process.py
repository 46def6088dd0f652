"""``tabletop`` run as a user runs it, in a process of its own, for the CLI tests.

:func:`run_tabletop` is ``subprocess.run([python, "-m", "tabletop", *args], capture_output=True,
text=True)``: the command gets its own process, folder, environment, argv, standard streams
and exit status, and the test reads what it printed and how it ended. What it saves is the
interpreter's start: most of a CLI test's time was Python importing tabletop again (the
campaign model's pydantic classes above all, about 0.35 s a run, a hundred runs a suite).
So the process is forked from an interpreter that has imported tabletop's command modules
once (:mod:`cli_zygote`, two per test worker, started with different hash seeds and taken
in turn, so that two runs a test compares never share one).

What a fork cannot give is a fresh interpreter's start itself. That is tested where it
matters: ``fresh=True`` here, ``tabletop schema`` and ``tabletop report`` in
tests/test_schema.py and tests/test_report_v2.py, the import-hygiene tests
(tests/test_import_hygiene.py), the long-running ``host``/``join`` processes the network
tests start and kill, and the wheel check (tests/test_install.py). tests/test_cli_process.py
holds the two ways to the same results. An environment that changes how an interpreter starts (its
locale or encoding, ``PYTHON*`` settings other than the path, buffering and bytecode) is run
fresh too.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZYGOTE = Path(__file__).with_name("cli_zygote.py")

#: The environment the zygotes start in: this process's, as it was when first imported
#: (before any test changed it).
_BASE = dict(os.environ)
#: Settings a forked process takes from the request (the rest of ``PYTHON*``, and the
#: locale, are read once as an interpreter starts).
_PER_RUN = frozenset({"PYTHONPATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"})


def _starts_alike(env: Mapping[str, str]) -> bool:
    """Whether an interpreter started under ``env`` starts as the zygote did (UTF-8, and no
    ``PYTHON*`` setting that a running interpreter cannot take)."""
    started = {k: v for k, v in _BASE.items() if k.startswith("PYTHON") and k not in _PER_RUN}
    if {k: v for k, v in env.items() if k.startswith("PYTHON") and k not in _PER_RUN} != started:
        return False
    locale = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or "C"
    # Python turns the C locale into C.UTF-8 (PEP 538), so no locale and C are UTF-8 too
    return locale in ("C", "POSIX") or locale.replace("-", "").lower().endswith(".utf8")


class _Zygote:
    def __init__(self, hash_seed: int) -> None:
        self.folder = tempfile.mkdtemp(prefix="tabletop-zygote-")
        self.path = os.path.join(self.folder, "socket")
        self.hash_seed = hash_seed
        env = {**_BASE, "PYTHONHASHSEED": str(hash_seed)}
        self.process = subprocess.Popen(
            [sys.executable, str(ZYGOTE), self.path], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline()
        assert ready == "ready\n", f"the CLI zygote did not start ({ready!r})"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Close its input: it waits for the runs still going, and exits."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        for name in os.listdir(self.folder):
            os.unlink(os.path.join(self.folder, name))
        os.rmdir(self.folder)


_zygotes: list[_Zygote] = []
_turn = itertools.count()
_lock = threading.Lock()


def _zygote() -> _Zygote:
    """The next of this process's two zygotes (started, or started again, as needed)."""
    with _lock:
        if not _zygotes:
            atexit.register(lambda: [z.stop() for z in _zygotes])
        seeds = (int.from_bytes(os.urandom(4), "big") for _ in range(2))
        while len(_zygotes) < 2:
            _zygotes.append(_Zygote(next(seeds)))
        i = next(_turn) % 2
        if not _zygotes[i].alive():
            _zygotes[i].stop()
            _zygotes[i] = _Zygote(next(seeds))
        return _zygotes[i]


def _text(data: bytes) -> str:
    """As ``subprocess.run(text=True)`` decodes output: UTF-8, universal newlines."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def run_tabletop(
    *args: str, cwd: Path | str = ROOT, env: Mapping[str, str] | None = None, timeout: float = 120,
    fresh: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``python -m tabletop ARGS`` in ``cwd`` under ``env`` (default: this process's), its
    output captured as text, its input empty (``/dev/null``); ``subprocess.TimeoutExpired``
    after ``timeout`` seconds, as ``subprocess.run`` raises it. ``fresh``: in a newly
    started interpreter."""
    argv = [sys.executable, "-m", "tabletop", *args]
    environ = dict(os.environ if env is None else env)
    if fresh or not _starts_alike(environ):
        return subprocess.run(argv, cwd=cwd, env=environ, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=timeout)
    with open(os.devnull, "rb") as stdin, tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        request = json.dumps({"args": list(args), "cwd": str(Path(cwd).resolve()), "env": environ}).encode()
        with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as conn:
            conn.connect(_zygote().path)
            socket.send_fds(conn, [request], [stdin.fileno(), stdout.fileno(), stderr.fileno()])
            conn.settimeout(timeout)
            pid = json.loads(conn.recv(1 << 16))["pid"]
            try:
                status = json.loads(conn.recv(1 << 16))["status"]
            except TimeoutError:
                os.kill(pid, 9)
                conn.settimeout(None)
                conn.recv(1 << 16)
                stdout.seek(0)
                stderr.seek(0)
                raise subprocess.TimeoutExpired(argv, timeout, stdout.read(), stderr.read()) from None
        stdout.seek(0)
        stderr.seek(0)
        return subprocess.CompletedProcess(argv, os.waitstatus_to_exitcode(status), _text(stdout.read()),
                                           _text(stderr.read()))
