"""One module per `tabletop` subcommand; each exposes ``run(args) -> int``.

They are imported only when their command runs, so `tabletop validate` never pays
for importing Textual.
"""
