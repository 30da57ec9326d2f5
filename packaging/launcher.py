"""Entry point of the PyInstaller bundle: the `annotator` command, frozen.

`freeze_support()` must run first: the search index may rebuild in worker processes, and in a
frozen program a worker is this same executable started again with special arguments. A frozen
program has no `python -m`: `--run-module MODULE ARGS...` runs one of the bundle's modules as a
program instead (the PDF printer's child process, annotator.ui.pdf_export.child_command).
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if len(sys.argv) > 2 and sys.argv[1] == "--run-module":
        import runpy

        module = sys.argv[2]
        sys.argv = [sys.argv[0], *sys.argv[3:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        raise SystemExit(0)
    from annotator.cli.main import main

    raise SystemExit(main())
