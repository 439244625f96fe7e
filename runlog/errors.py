"""Typed errors raised by the core; the CLI turns them into `Error:` lines and exit codes."""


class RunlogError(Exception):
    """Base of every error runlog expects. `exit_code` is what the process exits with."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(RunlogError):
    """What the user typed cannot be accepted (exit 2)."""

    exit_code = 2


class NotFound(RunlogError):
    """No such entry (exit 1)."""


class Interrupted(RunlogError):
    """Ctrl-C after part of the work was kept (exit 130); the message says which part."""

    exit_code = 130


class StorageError(RunlogError):
    """The database cannot be opened, read or written (exit 1)."""
