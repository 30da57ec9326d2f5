"""Entry point of the PyInstaller bundle: the `annotator` command, frozen.

`freeze_support()` must run first: the search index may rebuild in worker processes, and in a
frozen program a worker is this same executable started again with special arguments.
"""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from annotator.cli.main import main

    raise SystemExit(main())
