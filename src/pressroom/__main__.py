"""`python -m pressroom`: the same command as `pressroom`."""

from pressroom.cli import app

app()
