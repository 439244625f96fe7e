"""The command line: a Typer app whose commands load only when they are run.

This is the only layer that prints or exits. Every expected error is a RunlogError raised
below; `RunlogGroup.main` turns it into one `Error:` line on stderr and its exit status.
"""

import importlib
import os
import sys
from typing import Annotated, NoReturn, Optional

import typer
from typer.core import TyperCommand, TyperGroup

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


def declined(said: str = "Nothing was changed.") -> NoReturn:
    """A question answered no. That is no error: say so on stderr, beside the question,
    and exit 0 (a non-zero exit would tell a script something went wrong)."""
    print(said, file=sys.stderr)
    raise typer.Exit(0)


def error_line(message: str, hint: str | None = None) -> str:
    """One line, whatever the message holds (user text, SQLite's reports): runs of
    whitespace become one space, control and bidi characters are spelled out (`\\x1b`)."""
    from ..safetext import visible

    line = visible(f"Error: {message}" + (f" ({hint})" if hint else ""))
    return " ".join(line.split())


# Options of `runlog` itself, which go before the command.
GLOBAL_OPTIONS = ("--db", "--units", "--version")


class InRunlogsWords:
    """What every runlog command and group shares, whichever module declares it: help as
    plain text wrapped to the terminal with examples kept verbatim, one per line; metavars a
    person reads (ID, N, WHEN) and no Click type names (`<int range>`), ranges
    (`[1<=x<=9223372036854775807]`) or braces (`{ID}`); whole numbers refused in runlog's
    words; and unknown sub-commands answered as the root answers them."""

    def __init__(self, *args, **kwargs):
        kwargs["rich_markup_mode"] = None  # Click's plain help, shaped below
        super().__init__(*args, **kwargs)
        for param in self.params:
            _readable(param)

    def parse_args(self, ctx, args):
        # Click's parser raises some usage errors without the context they arose in.
        global _parsing
        _parsing = ctx
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx):
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument" and not param.hidden:
                name = _argument_name(param)
                pieces.append(name if param.required or name.startswith("[") else f"[{name}]")
        if isinstance(self, TyperGroup):
            pieces.append(self.subcommand_metavar)
        return pieces

    def format_help_text(self, ctx, formatter):
        _write_help_text(self.help or "", formatter)

    def format_options(self, ctx, formatter):
        arguments, options = [], []
        for param in self.get_params(ctx):
            if param.hidden:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), param.help or ""))
            else:
                record = param.get_help_record(ctx)
                if record is not None:
                    options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        if isinstance(self, TyperGroup):
            rows = [(name, command.get_short_help_str(limit=1000))
                    for name in self.list_commands(ctx)
                    if (command := self.get_command(ctx, name)) is not None
                    and not command.hidden]
            if rows:  # each one's first sentence, whole: wrapped, not cut short
                with formatter.section("Commands"):
                    formatter.write_dl(rows)

    def resolve_command(self, ctx, args):
        # Unknown commands get a suggestion instead of Click's bare message.
        name = args[0] if args else None
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            names = self.list_commands(ctx) + (list(ALIASES) if self is ctx.find_root().command
                                               else [])
            close = difflib.get_close_matches(name, names, n=1)
            hint = (f"did you mean `{ctx.command_path} {close[0]}`?" if close
                    else f"see `{ctx.command_path} --help`")
            raise InputError(f"no such command '{name}'", hint)
        return super().resolve_command(ctx, args)


class RunlogCommand(InRunlogsWords, TyperCommand):
    """A runlog command (see InRunlogsWords)."""


class RunlogSubGroup(InRunlogsWords, TyperGroup):
    """A runlog command with sub-commands: `runlog db`, `config`, `emotions`."""


_parsing = None  # the context whose arguments Click parsed last


def _readable(param) -> None:
    """Give a parameter runlog's words: whole numbers refused as runlog refuses them, and a
    metavar where Click would show a type (INTEGER RANGE) or a lower-case name."""
    from typer._click.types import IntParamType, IntRange

    from ._options import WholeNumber

    if isinstance(param.type, IntParamType):
        low, high = ((param.type.min, param.type.max) if isinstance(param.type, IntRange)
                     else (None, None))
        param.type = WholeNumber(low, high)
    if param.metavar is None:
        if isinstance(param.type, WholeNumber):
            param.metavar = "N"
        elif param.param_type_name == "argument":
            param.metavar = (param.name or "value").upper() + ("..." if param.nargs == -1 else "")


def _argument_name(param) -> str:
    """An argument as help names it: its metavar without the brackets that mark it optional
    in the usage line ([DISTANCE] is DISTANCE; `[DISTANCE] [DURATION]` stays as it is)."""
    import re

    name = param.metavar or (param.name or "").upper()
    return name[1:-1] if re.fullmatch(r"\[[^\[\]]*\]", name) else name


def _write_help_text(text: str, formatter) -> None:
    """A command's help: prose paragraphs wrapped to the terminal; a paragraph indented
    more than the prose (an example) or opened by a `\\b` line is written as it is, one
    line per line, indented as far as the terminal leaves room for. An example still too
    long is continued on the next line as a shell continues it (` \\`), never in the
    middle of a word or a quoted string, so it can still be copied and run."""
    import inspect

    text = inspect.cleandoc(text).partition("\f")[0]
    if not text:
        return
    import re
    import shutil

    formatter.write_paragraph()
    with formatter.indentation():
        for number, paragraph in enumerate(re.split(r"\n[ \t]*\n", text)):
            if number:
                formatter.write("\n")
            lines = paragraph.split("\n")
            if lines[0].strip() == "\b" or lines[0].startswith(" "):
                verbatim = [line.rstrip() for line in lines if line.strip() != "\b"]
                # Click keeps 2 columns free of prose, and makes it at least 50 wide
                room = min(formatter.width + 2, shutil.get_terminal_size().columns)
                for line in verbatim:
                    body = line.lstrip()
                    wanted = formatter.current_indent + len(line) - len(body)
                    indent = max(0, min(wanted, room - len(body)))
                    if indent + len(body) <= room:
                        formatter.write(" " * indent + body + "\n")
                        continue
                    for part in _continued(body, room - wanted, 2):
                        formatter.write(" " * wanted + part + "\n")
            else:
                formatter.write_text(" ".join(line.strip() for line in lines))


def _continued(command: str, width: int, indent: int) -> list[str]:
    """A shell command too long for `width`, as lines continued with ` \\`: broken only
    between words, never inside quotes; later lines indented by `indent`."""
    import re

    # an option stays on one line with its value: `--felt sad,relieved`
    # (and a comment is one word)
    words = re.findall(r"#.*|(?:-\S+ (?!-))?(?:[^\s\"']+|\"[^\"]*\"|'[^']*')+", command)
    lines: list[str] = []
    line = ""
    for word in words:
        lead = " " * indent if lines else ""
        if line and len(lead + line + " " + word + " \\") > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return [(" " * indent if number else "") + text + (" \\" if number < len(lines) - 1 else "")
            for number, text in enumerate(lines)]


class RunlogGroup(InRunlogsWords, TyperGroup):
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
        # Every command speaks as runlog does, whichever module declares it.
        for command_info in sub_app.registered_commands:
            if command_info.cls in (None, TyperCommand):
                command_info.cls = RunlogCommand
        if not isinstance(sub_app.info.cls, type) or sub_app.info.cls is TyperGroup:
            sub_app.info.cls = RunlogSubGroup
        command = typer.main.get_command(sub_app)
        command.name = name
        self._loaded[name] = command
        return command

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
        except NoArgsIsHelpError as help_page:
            # `runlog`, `runlog db`: the help is the answer
            try:
                print(help_page.format_message(), flush=True)
            except BrokenPipeError:
                _reader_went_away(quieten=True)
            sys.exit(0)
        except SystemExit as done:
            # Typer quietens stdout and Rich raises SystemExit(1) from the BrokenPipeError
            if done.code == 1 and (_reader_went_away()
                                   or isinstance(done.__context__, BrokenPipeError)):
                sys.exit(0)
            raise
        except UsageError as error:
            _fail(error_line(*_usage_problem(error, sys.argv[1:] if args is None else args)), 2)
        except (KeyboardInterrupt, Abort) as stop:
            # Ctrl-D at a prompt: Typer has ended the prompt's line already
            _stopped(line_ended=isinstance(stop.__cause__, EOFError))
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


def _usage_problem(error, args: list[str]) -> tuple[str, str | None]:
    """Click's usage errors in runlog's words: the message and its hint."""
    import re

    from typer._click.exceptions import (BadOptionUsage, BadParameter, MissingParameter,
                                         NoSuchOption)

    ctx = error.ctx or _parsing
    path = ctx.command_path if ctx is not None else "runlog"
    see = f"see `{path} --help`"
    if isinstance(error, NoSuchOption):
        option = error.option_name
        if option in GLOBAL_OPTIONS and path != "runlog":
            return _global_option_after_command(option, path, args), None
        if re.fullmatch(r"-[0-9][0-9.,:]*", option):
            return f"`{path}` takes no negative number ({option})", see
        import difflib

        own = [opt for param in (ctx.command.params if ctx is not None else ())
               for opt in getattr(param, "opts", ())]
        if option == "--mood" and "--before" in own:  # rest's word, typed on add or edit
            return (f"`{path}` has no option --mood",
                    "a run has two: --before and --after, each 1-5 or awful..great")
        # A global option is offered only for a near miss (`--unit`), never for any
        # option that merely shares letters (`--verbose`, `--json`).
        global_ones = [name for name in (GLOBAL_OPTIONS if path != "runlog" else ())
                       if difflib.SequenceMatcher(None, option, name).ratio() >= 0.8]
        close = difflib.get_close_matches(option, [*(error.possibilities or ()), *global_ones],
                                          n=1)
        if close and close[0] in global_ones:
            return (f"`{path}` has no option {option}",
                    f"did you mean the global option {close[0]}? It goes before the command: "
                    f"`runlog {close[0]} ... {path.partition(' ')[2]}`")
        return f"`{path}` has no option {option}", f"did you mean {close[0]}?" if close else see
    if isinstance(error, MissingParameter):
        param = error.param
        if param is None:
            return "a value is missing", see
        if param.param_type_name == "argument":
            return f"missing {_argument_name(param).removesuffix('...')}", see
        return f"missing {max(param.opts, key=len)} {param.make_metavar(ctx)}", see
    if isinstance(error, BadParameter):
        from ._options import WholeNumber, _named

        if isinstance(getattr(error.param, "type", None), WholeNumber):
            return error.message, see  # said in runlog's words already
        return f"{_named(error.param)}: {_sentence_part(error.message)}", see
    if isinstance(error, BadOptionUsage):
        option = error.option_name
        param = next((p for p in (ctx.command.params if ctx else ()) if option in
                      getattr(p, "opts", ()) + getattr(p, "secondary_opts", ())), None)
        if param is not None and getattr(param, "is_flag", False):
            return f"{option} takes no value", see
        if param is not None:
            return f"{option} needs a value ({param.make_metavar(ctx)})", see
        return _sentence_part(error.message), see
    extra = re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", error.message)
    if extra:
        return f"too many arguments for `{path}`: '{extra.group(1)}'", see
    if error.message == "Missing command.":
        return "missing the command", see
    return _sentence_part(error.message), see


def _sentence_part(message: str) -> str:
    """Click's sentence as part of runlog's line: no capital to open it, no full stop."""
    message = message.strip().rstrip(".")
    return message[:1].lower() + message[1:]


def _global_option_after_command(option: str, path: str, args: list[str]) -> str:
    """`runlog list --units km`: say where the option goes, with the line that works (the
    command as typed, the option moved to the front)."""
    import shlex

    if option == "--version":
        return f"{option} is a global option: put it before the command, e.g. `runlog --version`"
    words = path.split()[1:]  # the command as typed, after `runlog`
    at, found = 0, None
    for index, arg in enumerate(args):
        if words:
            if arg == words[0]:
                words.pop(0)
        elif arg == option or arg.startswith(option + "="):
            found = index
            break
    rest = list(args)
    value = "VALUE"
    if found is not None:
        taken = rest.pop(found)
        if "=" in taken:
            value = taken.partition("=")[2]
        elif found < len(rest):
            value = rest.pop(found)
    example = shlex.join(["runlog", option, value, *rest])
    if found is None or len(example) > 100:  # a long line: the command alone shows where
        example = f"runlog {option} {shlex.quote(value)} {path.partition(' ')[2]} ..."
    return f"{option} is a global option: put it before the command, e.g. `{example}`"


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


def _stopped(line_ended: bool = False) -> None:
    """Ctrl-C, SIGTERM or SIGHUP: exit 130 (or 128 + the signal) when nothing was changed.
    Once a change was saved (a COMMIT returned), it is kept: the command says so and exits
    0, since a non-zero exit promises that nothing changed.

    On a terminal, Ctrl-C leaves `^C` where the cursor was (after a prompt's question, or
    in the middle of output): the message starts on a line of its own."""
    if not line_ended:  # SIGTERM at a question leaves the cursor after it, as Ctrl-C does
        try:
            if sys.stderr.isatty():
                print(file=sys.stderr)
        except (OSError, ValueError):
            pass
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
    "Global options go before the command: `runlog --units mi list`.\n\n"
    "Example:\n\n  runlog add 5k 28:30 --before 2 --after 4 --felt sad,relieved",
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

    Global options go before the command: `runlog --units mi list`.

    Example:

      runlog add 5k 28:30 --before 2 --after 4 --felt sad,relieved
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
