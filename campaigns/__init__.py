"""The bundled campaigns (installed as the package ``tabletop.campaigns``; see setup.py).

The campaign files here are data, never code: this file only lets the folder ship
inside the package, so an installed ``tabletop`` finds them wherever it runs.
"""
