"""Root pytest configuration: doctests run over src/, minus the module that runs the CLI."""

collect_ignore = ["src/smotekit/__main__.py"]
