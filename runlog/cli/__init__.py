"""The command line: a Typer app whose commands load only when they are run.

This is the only layer that prints or exits. Every expected error is a RunlogError raised
below; `RunlogGroup.main` turns it into one `Error:` line on stderr and its exit status.
"""

import importlib
import os
import sys
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import InputError, RunlogError

# command name -> "module:attribute" of the Typer app that implements it. Loading one
# command's module (not all of them) keeps `runlog add` fast.
COMMANDS = {
    "add": "runlog.cli.add:app",
    "start": "runlog.cli.add:start_app",
    "rest": "runlog.cli.add:rest_app",
    "list": "runlog.cli.entries:list_app",
    "show": "runlog.cli.entries:show_app",
    "edit": "runlog.cli.edit:app",
    "delete": "runlog.cli.trash:delete_app",
    "restore": "runlog.cli.trash:restore_app",
    "trash": "runlog.cli.trash:trash_app",
    "purge": "runlog.cli.trash:purge_app",
    "mood": "runlog.cli.reports:mood_app",
    "stats": "runlog.cli.reports:stats_app",
    "insights": "runlog.cli.reports:insights_app",
    "emotions": "runlog.cli.vocabulary:app",
    "export": "runlog.cli.interchange:export_app",
    "import": "runlog.cli.interchange:import_app",
    "config": "runlog.cli.settings:app",
    "db": "runlog.cli.database:app",
}
ALIASES = {"ls": "list"}
EXIT_INTERRUPTED = 130
INTERRUPTED = "Interrupted; nothing was changed."
SAVED_BEFORE_STOP = "Stopped after the change was saved: it is kept."


def error_line(message: str, hint: str | None = None) -> str:
    """One line, whatever the message holds (user text, SQLite's reports): runs of
    whitespace become one space, control and bidi characters are spelled out (`\\x1b`)."""
    from ..safetext import visible

    line = visible(f"Error: {message}" + (f" ({hint})" if hint else ""))
    return " ".join(line.split())


class RunlogGroup(TyperGroup):
    """Loads a command's module on demand, and is the one place errors become exit codes."""

    _loaded: dict = {}

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        name = ALIASES.get(name, name)
        if name in self._loaded:
            return self._loaded[name]
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        sub_app = getattr(importlib.import_module(module_name), attribute)
        command = typer.main.get_command(sub_app)
        command.name = name
        self._loaded[name] = command
        return command

    def resolve_command(self, ctx, args):
        # Unknown commands get a suggestion instead of Click's bare message.
        name = args[0] if args else None
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS) + list(ALIASES), n=1)
            hint = f"did you mean `runlog {close[0]}`?" if close else "see `runlog --help`"
            raise InputError(f"no such command '{name}'", hint)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from typer._click.exceptions import NoArgsIsHelpError, UsageError
        from typer.exceptions import Abort

        store_db = sys.modules.get("runlog.store.db")
        if store_db is not None:
            store_db.changes_saved = False  # of this command (tests run many in one process)
        try:
            status = super().main(
                args=args,
                prog_name=prog_name or "runlog",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except RunlogError as error:
            _fail(error_line(error.message, error.hint), error.exit_code)
        except NoArgsIsHelpError:
            sys.exit(0)  # `runlog`, `runlog db`: the help was the answer
        except SystemExit as done:
            # Typer quietens stdout and Rich raises SystemExit(1) from the BrokenPipeError
            if done.code == 1 and (_reader_went_away()
                                   or isinstance(done.__context__, BrokenPipeError)):
                sys.exit(0)
            raise
        except UsageError as error:
            hint = f"see `{error.ctx.command_path} --help`" if error.ctx is not None else None
            _fail(error_line(error.format_message(), hint), 2)
        except (KeyboardInterrupt, Abort):
            _stopped()
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("RUNLOG_DEBUG"):
                raise
            _fail(error_line(f"unexpected {type(error).__name__}: {error}",
                             "`runlog db check` names any row the log should not hold; "
                             "set RUNLOG_DEBUG=1 to see the traceback"), 1)
        # Without standalone mode Typer returns the status of a typer.Exit, and turns
        # Ctrl-C inside a command into 130.
        if status == EXIT_INTERRUPTED:
            _stopped()
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _reader_went_away(quieten=True)
        sys.exit(status if isinstance(status, int) else 0)


_stopped_by: int | None = None


def _stop_as_on_ctrl_c() -> None:
    """SIGTERM (`kill`, `timeout`) and SIGHUP (the terminal closed) stop runlog the way
    Ctrl-C does, so every clean-up runs: a transaction rolled back, the temporary copies
    of standard input or of a read-only log and a half-built new log removed, an import's
    reading process stopped. The exit status is then 128 + the signal's number."""
    import signal

    def stopped(signum, _frame):
        global _stopped_by
        _stopped_by = signum
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stopped)


def _stopped() -> None:
    """Ctrl-C, SIGTERM or SIGHUP: exit 130 (or 128 + the signal) when nothing was changed.
    Once a change was saved (a COMMIT returned), it is kept: the command says so and exits
    0, since a non-zero exit promises that nothing changed."""
    store_db = sys.modules.get("runlog.store.db")
    if store_db is not None and store_db.changes_saved:
        _fail(SAVED_BEFORE_STOP, 0)
    _fail(INTERRUPTED, 128 + _stopped_by if _stopped_by else EXIT_INTERRUPTED)


def _never_fail_to_print() -> None:
    """On a standard output or error that can't carry all of Unicode (PYTHONIOENCODING=
    latin-1, an old locale), a character it can't hold is written as its escape (`\u2605`)
    rather than failing the command after it has written to the log."""
    from ._common import utf8

    for stream in (sys.stdout, sys.stderr):
        if not utf8(stream):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (AttributeError, ValueError):
                pass


def _sane_columns() -> None:
    """COLUMNS sets the width of help and tables: a value no terminal has (0, a word, a
    billion, which makes Rich allocate a line that long) is ignored or held to 20-1000."""
    text = os.environ.get("COLUMNS")
    if text is None:
        return
    try:
        columns = int(text)
    except ValueError:
        columns = 0
    if columns <= 0:
        del os.environ["COLUMNS"]
    else:
        os.environ["COLUMNS"] = str(min(max(columns, 20), 1000))


def _reader_went_away(quieten: bool = False) -> bool:
    """Whether the program reading runlog's output stopped reading (`runlog list | head`).
    That is no failure: what the command wrote to the log stays written, so it exits 0
    (a non-zero exit promises that nothing changed). Typer quietens stdout when it sees it."""
    from typer._click.utils import PacifyFlushWrapper

    if quieten:
        sys.stdout = PacifyFlushWrapper(sys.stdout)
    return isinstance(sys.stdout, PacifyFlushWrapper)


def _fail(line: str, code: int) -> None:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
    from ..safetext import visible

    try:
        print(visible(line), file=sys.stderr)
    except OSError:
        pass  # no terminal left to say it on (SIGHUP): the exit status says it
    sys.exit(code)


app = typer.Typer(
    cls=RunlogGroup,
    name="runlog",
    help="Log your runs and how they felt; see whether running is helping.\n\n"
    "Example: runlog add 5k 28:30 --before 2 --after 4 --felt sad,relieved",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool):
    if value:
        print(f"runlog {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[str],
        typer.Option("--db", metavar="PATH", help="Database file (default: $RUNLOG_DB, "
                     "else the user data folder)."),
    ] = None,
    units: Annotated[
        Optional[str],
        typer.Option("--units", metavar="km|mi", help="Units to show and to read bare "
                     "numbers in (default: $RUNLOG_UNITS, else config, else km)."),
    ] = None,
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_show_version, is_eager=True,
                     help="Show runlog's version and exit."),
    ] = None,
):
    """Log your runs and how they felt; see whether running is helping.

    Example: runlog add 5k 28:30 --before 2 --after 4 --felt sad,relieved
    """
    from ._common import State

    ctx.obj = State(db_option=db, units_option=units)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """The `runlog` console script."""
    _sane_columns()
    _stop_as_on_ctrl_c()
    _never_fail_to_print()
    typer.main.get_command(app).main(prog_name="runlog")
