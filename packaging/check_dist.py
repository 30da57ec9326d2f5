"""Check what the wheel and the sdist hold: `make wheel-check` runs this on its build.

    python packaging/check_dist.py DIST_DIR

The migrations, resources and guides live outside src/ (db/, resources/, docs/), so the wheel
has them only because pyproject.toml force-includes them (as annotator/_db, annotator/_resources
and annotator/_docs); the sdist must carry them too, or a wheel built from it lacks them. Standard library only.
"""

from __future__ import annotations

import fnmatch
import sys
import tarfile
import zipfile
from pathlib import Path

WHEEL_MUST_HAVE = (
    "annotator/__init__.py",
    "annotator/cli/main.py",
    "annotator/_db/env.py",
    "annotator/_db/script.py.mako",
    "annotator/_db/versions/*.py",
    "annotator/_resources/icons/annotator.svg",
    "annotator/_resources/icons/annotator-256.png",
    "annotator/_resources/demo/*",
    "annotator/_docs/user-guide.md",
    "annotator/_docs/reference.md",
    "annotator/exporters/templates/*.j2",
    "annotator-*.dist-info/entry_points.txt",
)
WHEEL_MUST_NOT_HAVE = ("*__pycache__*", "*.pyc", "tests/*")
SDIST_MUST_HAVE = (
    "pyproject.toml",
    "src/annotator/__init__.py",
    "db/env.py",
    "db/versions/*.py",
    "resources/icons/annotator.svg",
    "docs/user-guide.md",
    "packaging/annotator.spec",
    "packaging/annotator.desktop",
)


def missing(names: list[str], patterns: tuple[str, ...]) -> list[str]:
    return [p for p in patterns if not fnmatch.filter(names, p)]


def wheel_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def sdist_names(path: Path) -> list[str]:
    with tarfile.open(path) as tf:
        # strip the leading "annotator-VERSION/"
        return [n.split("/", 1)[1] for n in tf.getnames() if "/" in n]


def check(dist: Path) -> list[str]:
    problems = []
    wheels = sorted(dist.glob("annotator-*.whl"))
    sdists = sorted(dist.glob("annotator-*.tar.gz"))
    if len(wheels) != 1:
        problems.append(f"expected one wheel in {dist}, found {len(wheels)}")
    else:
        names = wheel_names(wheels[0])
        problems += [f"{wheels[0].name} lacks {p}" for p in missing(names, WHEEL_MUST_HAVE)]
        for pattern in WHEEL_MUST_NOT_HAVE:
            extra = fnmatch.filter(names, pattern)
            if extra:
                problems.append(f"{wheels[0].name} holds {extra[0]} ({pattern})")
    if len(sdists) != 1:
        problems.append(f"expected one sdist in {dist}, found {len(sdists)}")
    else:
        names = sdist_names(sdists[0])
        problems += [f"{sdists[0].name} lacks {p}" for p in missing(names, SDIST_MUST_HAVE)]
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check_dist.py DIST_DIR", file=sys.stderr)
        return 2
    dist = Path(argv[0])
    problems = check(dist)
    for problem in problems:
        print(f"✗ {problem}")
    if problems:
        return 1
    print(f"✓ wheel and sdist in {dist} hold the package, migrations, resources and templates")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
