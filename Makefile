# The README's two commands. Both work on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: play test wheel-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml setup.py
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml setup.py
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

play: $(VENV)/.installed
	$(BIN)/tabletop play

# The suite on every core (pytest-xdist; -n auto is one worker more than the cores, see
# tests/conftest.py), all but the wheel check. CI=true (as .ci/run
# has it) derandomizes the property tests; HYPOTHESIS_PROFILE=thorough runs ten times
# their examples (see tests/hypothesis_profiles.py).
# The package is compiled first: the suite starts new interpreters (the CLI tests' zygotes,
# see tests/cli_process.py, the network tests' servers, the import checks), and where
# PYTHONDONTWRITEBYTECODE is set nothing caches the compiled modules, so each of them
# would compile the package again (about 60 ms each).
test: $(VENV)/.installed-test
	$(BIN)/python -m compileall -q tabletop
	$(BIN)/python -m pytest -n auto --dist worksteal -m "not wheel"

# Build the wheel, install it in a fresh venv outside the checkout and run tabletop
# from another folder (validate, simulate, a headless game, the TUI). CI (.ci/run) runs
# it after `make test`.
wheel-check: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/test_install.py

clean:
	rm -rf $(VENV) build dist *.egg-info
