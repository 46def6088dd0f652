"""Package layout that pyproject.toml alone cannot say.

The bundled campaigns live in the top-level ``campaigns/`` folder, the place a
facilitator edits, and are installed as the package ``tabletop.campaigns`` (read with
``importlib.resources``): one copy, in the checkout and in every wheel and editable
install. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["tabletop", "tabletop.*"]), "tabletop.campaigns"],
    package_dir={"tabletop.campaigns": "campaigns"},
)
