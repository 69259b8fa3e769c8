"""The jinja2 environment every template runs in, shipped or from a user's template pack.

A template pack is code from whoever wrote it. jinja2's immutable sandbox keeps it away from
Python internals (`cycler.__init__.__globals__.os` and the like), the loader keeps it inside the
template folders even through symlinks, and the only globals are the helpers examkit adds.
"""

from __future__ import annotations

import builtins
import types
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment


_METHODS = (types.MethodType, types.BuiltinMethodType)


class OutsideTemplateFolders(jinja2.TemplateNotFound):
    """A template or inlined file that is a symlink to somewhere outside the template folders."""


class ConfinedLoader(jinja2.FileSystemLoader):
    """Loads templates from the folders, refusing any file whose real path lies outside them."""

    def __init__(self, folders: list[Path]):
        self.roots = [Path(folder).resolve() for folder in folders]
        super().__init__([str(root) for root in self.roots])

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(root) for root in self.roots):
            raise OutsideTemplateFolders(template)
        return source, filename, uptodate


class ExamkitSandbox(ImmutableSandboxedEnvironment):
    """jinja2's immutable sandbox, remembering its verdict on each attribute per type of object.

    The sandbox asks whether `obj.attr` is safe on every attribute access (hundreds per exam),
    and its answer depends only on the name and on isinstance tests of `obj` (a function, a
    method, a class, a code object, a generator, a mutable builtin), never on the object's
    value: so the verdict is the same for every object of one type, and computing it once per
    (type, name) gives the same answers at a fraction of the cost.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict

    def getattr(self, obj, attribute: str):
        # The common case in one step: an attribute already judged safe on this type of object,
        # whose value is no method (jinja2 wraps a str.format method it hands out).
        if self._verdicts.get((type(obj), attribute)):
            try:
                value = builtins.getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)
            if not isinstance(value, _METHODS):
                return value
        return super().getattr(obj, attribute)


def sandboxed_environment(folders: list[Path]) -> ImmutableSandboxedEnvironment:
    """Autoescaping, strict about undefined names, and with none of jinja2's default globals
    (range, dict, cycler, joiner, namespace, lipsum): the templates need none of them."""
    env = ExamkitSandbox(
        loader=ConfinedLoader(folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.clear()
    return env


def template_problem(exc: jinja2.TemplateError, template: str):
    """A template's failure as one line naming the template and line (a sandbox refusal too)."""
    from ..errors import Problem, display_path

    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or template
    line = getattr(exc, "lineno", None)
    if isinstance(exc, OutsideTemplateFolders):
        return Problem(str(exc.name), None, "refused: it links to a file outside the template folders; "
                       "copy the file itself into the template folder")
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(str(exc.name), None, f"template {exc.name} not found; "
                       "copy it from examkit's templates folder into --templates")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return Problem(display_path(name), line, f"template refused by the sandbox: {exc}; "
                       "templates may use the exam data and examkit's filters only")
    kind = "syntax error" if isinstance(exc, jinja2.TemplateSyntaxError) else "error"
    return Problem(display_path(name), line, f"template {kind}: {exc.message}; fix the template")
