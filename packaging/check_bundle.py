"""Check the built bundle and the desktop files: `make package-check` runs this.

    python packaging/check_bundle.py [BUNDLE_DIR]      (default: dist/annotator)

Fails (exit 1) on any error:
  - the desktop entry must pass `desktop-file-validate`, the metainfo `appstreamcli validate
    --no-net`, and the MIME type XML must load into a shared MIME database (the Debian packages
    desktop-file-utils, appstream and shared-mime-info are installed when missing and running as
    root);
  - the bundle must hold none of the Qt modules the app does not use (WebEngine, 3D, Quick/QML,
    Multimedia...);
  - `annotator --version` must print this source tree's version, and `annotator selftest` must
    pass, both run from the bundle in an empty environment (no venv, a throw-away HOME);
  - the bundle's desktop/install-desktop-files.sh must install a valid entry pointing at it.

Standard library only, so that any Python 3.11+ runs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = "org.example.Annotator"
DESKTOP = "annotator.desktop"
METAINFO = f"{APP_ID}.metainfo.xml"
MIME_XML = "annotator-mime.xml"
MIME_TYPE = "application/x-annotator-project"
TOOLS = {  # command -> Debian package
    "desktop-file-validate": "desktop-file-utils",
    "appstreamcli": "appstream",
    "update-mime-database": "shared-mime-info",
}
# File names that must not appear in the bundle: Qt modules the app never uses.
FORBIDDEN_QT = re.compile(
    r"Qt6?(WebEngine|3D|Quick|Qml|Multimedia|Charts|DataVisualization|Designer|Pdf|Bluetooth|"
    r"Positioning|Location|Sensors|SerialPort|TextToSpeech|WebSockets|WebView|RemoteObjects)",
    re.IGNORECASE,
)
SELFTEST_TIMEOUT = 300


class CheckFailed(Exception):
    pass


def source_version() -> str:
    init = (ROOT / "src" / "annotator" / "__init__.py").read_text("utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', init, re.MULTILINE)
    if not match:
        raise CheckFailed("src/annotator/__init__.py has no __version__.")
    return match.group(1)


def ensure_tools() -> None:
    """Install the validators' Debian packages when they are missing and we may."""
    missing = sorted({pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None})
    if not missing:
        return
    can_install = hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")
    if not can_install:
        raise CheckFailed(
            f"Missing {', '.join(missing)}: install them (apt-get install {' '.join(missing)}) "
            "or run this check as root."
        )
    print(f"Installing Debian packages: {' '.join(missing)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]


def validate_desktop(path: Path) -> str:
    result = run(["desktop-file-validate", str(path)])
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise CheckFailed(f"desktop-file-validate {path.name}: {output}")
    return output or "no issues"


def validate_metainfo(path: Path) -> str:
    result = run(["appstreamcli", "validate", "--no-net", str(path)])
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise CheckFailed(f"appstreamcli validate {path.name}:\n{output}")
    return output.splitlines()[-1] if output else "ok"


def validate_mime(path: Path) -> str:
    root = ET.parse(path).getroot()
    ns = "{http://www.freedesktop.org/standards/shared-mime-info}"
    types = root.findall(f"{ns}mime-type")
    if [t.get("type") for t in types] != [MIME_TYPE]:
        raise CheckFailed(f"{path.name}: expected one mime-type {MIME_TYPE}.")
    if types[0].find(f"{ns}magic") is not None:
        raise CheckFailed(f"{path.name}: no magic (SQLite's header is not specific).")
    with tempfile.TemporaryDirectory() as tmp:
        packages = Path(tmp) / "mime" / "packages"
        packages.mkdir(parents=True)
        shutil.copy(path, packages / path.name)
        result = run(["update-mime-database", str(Path(tmp) / "mime")])
        globs = Path(tmp) / "mime" / "globs2"
        text = globs.read_text("utf-8") if globs.is_file() else ""
        if result.returncode != 0 or f"{MIME_TYPE}:*.annot" not in text:
            raise CheckFailed(f"update-mime-database rejected {path.name}: {result.stderr}")
    return "*.annot -> " + MIME_TYPE


def check_qt_modules(bundle: Path) -> str:
    found = sorted({p.name for p in bundle.rglob("*") if FORBIDDEN_QT.search(p.name)})
    if found:
        raise CheckFailed(f"Unused Qt modules in the bundle: {', '.join(found[:10])}")
    qt_libs = sorted(p.name.split(".")[0] for p in bundle.rglob("libQt6*.so*"))
    return "Qt libraries: " + ", ".join(dict.fromkeys(qt_libs))


def clean_env(home: Path) -> dict[str, str]:
    """An environment with nothing of the build venv: no PYTHONPATH, a fresh HOME and caches."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    return env


def run_bundle(bundle: Path, version: str) -> list[str]:
    exe = bundle / "annotator"
    if not os.access(exe, os.X_OK):
        raise CheckFailed(f"{exe}: no executable (run `make package` first).")
    notes = []
    with tempfile.TemporaryDirectory(prefix="annotator-bundle-check-") as tmp:
        home = Path(tmp)
        env = clean_env(home)
        started = time.perf_counter()
        result = run([str(exe), "--version"], env=env, cwd=tmp, timeout=60)
        took = time.perf_counter() - started
        if result.returncode != 0 or result.stdout.strip() != f"annotator {version}":
            raise CheckFailed(
                f"annotator --version exited {result.returncode}: "
                f"{(result.stdout + result.stderr).strip()!r} (expected 'annotator {version}')"
            )
        notes.append(f"--version: {result.stdout.strip()} ({took:.2f} s)")
        started = time.perf_counter()
        result = run([str(exe), "selftest"], env=env, cwd=tmp, timeout=SELFTEST_TIMEOUT)
        took = time.perf_counter() - started
        for line in result.stdout.splitlines():
            print(f"    {line}")
        if result.returncode != 0 or "Self-test passed" not in result.stdout:
            raise CheckFailed(
                f"annotator selftest exited {result.returncode}:\n{result.stderr.strip()}"
            )
        notes.append(f"selftest passed ({took:.1f} s)")
        leftovers = [p.name for p in home.iterdir()]
        if leftovers:
            notes.append(f"files the bundle left in HOME: {', '.join(sorted(leftovers))}")
    return notes


def check_formats(bundle: Path) -> str:
    """Every report format and the binary importers, through the bundle's command line: what
    PyInstaller can get wrong (data files of python-docx, PDFium, the Qt PDF writer) shows here."""
    exe = str(bundle / "annotator")
    formats = ("pdf", "docx", "md", "csv", "jsonld")
    with tempfile.TemporaryDirectory(prefix="annotator-formats-") as tmp:
        env = {**clean_env(Path(tmp)), "QT_QPA_PLATFORM": "offscreen"}

        def annotator(*args: str) -> None:
            result = run([exe, *args], env=env, cwd=tmp, timeout=120)
            if result.returncode != 0:
                raise CheckFailed(f"annotator {' '.join(args)}: {result.stderr.strip()}")

        annotator("demo", "demo.annot")
        for fmt in formats:
            annotator("export", "demo.annot", "--out", f"report.{fmt}")
        (Path(tmp) / "page.html").write_text(
            "<html><head><title>Page</title></head><body><p>Hello, world.</p></body></html>",
            "utf-8",
        )
        annotator("new", "imports.annot")
        annotator("import", "imports.annot", "report.pdf", "report.docx", "page.html")
    return f"demo exported as {', '.join(formats)}; PDF, DOCX and HTML imported back"


def check_xcb(bundle: Path) -> str:
    """The X11 platform plugin with the bundle's libraries, on a virtual screen when Xvfb is
    installed (it is not required: the self-test already ran offscreen)."""
    if shutil.which("Xvfb") is None:
        return "skipped, Xvfb is not installed"
    with tempfile.TemporaryDirectory(prefix="annotator-xcb-") as tmp:
        # -displayfd: Xvfb picks a free display number and writes it to us once it is ready
        read_end, write_end = os.pipe()
        xvfb = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write_end),
                "-screen",
                "0",
                "1600x1000x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        try:
            with os.fdopen(read_end) as pipe:
                number = pipe.readline().strip()
            if not number.isdigit():
                raise CheckFailed("Xvfb did not start.")
            display = f":{number}"
            env = {**clean_env(Path(tmp)), "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
            exe = str(bundle / "annotator")
            run([exe, "demo", "demo.annot"], env=env, cwd=tmp, timeout=60)
            shot = Path(tmp) / "window.png"
            result = run(
                [exe, "gui", "demo.annot", "--open", "1", "--open", "2", "--screenshot", str(shot)],
                env=env,
                cwd=tmp,
                timeout=60,
            )
            if result.returncode != 0 or not shot.is_file():
                raise CheckFailed(f"the window did not open on X11: {result.stderr.strip()}")
        finally:
            xvfb.terminate()
            xvfb.wait(timeout=10)
    return f"window rendered on Xvfb ({display})"


def check_desktop_install(bundle: Path) -> str:
    script = bundle / "desktop" / "install-desktop-files.sh"
    if not script.is_file():
        raise CheckFailed(f"{script}: missing from the bundle.")
    with tempfile.TemporaryDirectory() as tmp:
        result = run(["bash", str(script), "--prefix", tmp, "--no-refresh"])
        if result.returncode != 0:
            raise CheckFailed(f"install-desktop-files.sh failed: {result.stderr.strip()}")
        entry = Path(tmp) / "share" / "applications" / DESKTOP
        validate_desktop(entry)
        exec_line = next(
            line for line in entry.read_text("utf-8").splitlines() if line.startswith("Exec=")
        )
        if str(bundle.resolve() / "annotator") not in exec_line:
            raise CheckFailed(f"The installed entry does not start the bundle: {exec_line}")
        icons = list((Path(tmp) / "share" / "icons" / "hicolor").rglob("annotator.*"))
        return f"installs a valid entry ({exec_line}) and {len(icons)} icons"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str]) -> int:
    bundle = (Path(argv[0]) if argv else ROOT / "dist" / "annotator").resolve()
    desktop_dir = bundle / "desktop" if (bundle / "desktop").is_dir() else PACKAGING
    checks = [
        ("tools", ensure_tools),
        ("desktop entry", lambda: validate_desktop(desktop_dir / DESKTOP)),
        ("metainfo", lambda: validate_metainfo(desktop_dir / METAINFO)),
        ("MIME type", lambda: validate_mime(desktop_dir / MIME_XML)),
        ("Qt modules", lambda: check_qt_modules(bundle)),
        ("bundle runs", lambda: "; ".join(run_bundle(bundle, source_version()))),
        ("formats", lambda: check_formats(bundle)),
        ("X11", lambda: check_xcb(bundle)),
        ("desktop install", lambda: check_desktop_install(bundle)),
    ]
    if not bundle.is_dir():
        print(f"package-check: {bundle} does not exist; run `make package` first.")
        return 1
    failed = 0
    for name, check in checks:
        try:
            detail = check()
            print(f"✓ {name}" + (f": {detail}" if detail else ""), flush=True)
        except (CheckFailed, subprocess.SubprocessError, OSError, ET.ParseError) as exc:
            failed += 1
            print(f"✗ {name}: {exc}", flush=True)
            if name == "tools":
                break
    size = folder_size(bundle) / 2**20
    print(f"Bundle {bundle}: {size:.0f} MiB.")
    if failed:
        print(f"package-check: {failed} check(s) failed.")
        return 1
    print("package-check: all checks passed.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
