"""Importing a heavy library in a background thread, so the wait overlaps other start-up work.

`import weasyprint` takes 0.6-1 s, and on Debian a third of that is cffi asking
`ctypes.util.find_library` for library names that do not exist there (22 look-ups, 54
subprocesses: /sbin/ldconfig, gcc, ld), with no setting in WeasyPrint or cffi to skip them on
Linux. The subprocesses leave the interpreter free, so a command that will print a PDF starts
the import first and builds its pydantic models, reads the exam set and compiles its templates
meanwhile. This module imports nothing of examkit's, so it can be started before all of that.
"""

from __future__ import annotations

import importlib
import threading

_STARTED: dict[str, threading.Thread] = {}
_LOCK = threading.Lock()


def import_in_background(module: str) -> threading.Thread:
    """Start importing `module` in a daemon thread (once per process) and return the thread.

    Join it before forking: a child forked while another thread holds an import lock can hang.
    A failed import is left for the caller's own `import` to raise, with its message.
    """
    with _LOCK:
        thread = _STARTED.get(module)
        if thread is None:
            thread = threading.Thread(target=_load, args=(module,), name=f"import-{module}", daemon=True)
            _STARTED[module] = thread
            thread.start()
        return thread


def _load(module: str) -> None:
    try:
        importlib.import_module(module)
    except Exception:  # noqa: BLE001 (raised again, with its message, where the module is used)
        pass
