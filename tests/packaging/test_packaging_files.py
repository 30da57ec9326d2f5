"""The desktop entry, AppStream metainfo, MIME type and install script under packaging/."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

import annotator

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "org.example.Annotator"
MIME_TYPE = "application/x-annotator-project"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(PACKAGING / "annotator.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_has_the_keys_a_launcher_needs() -> None:
    entry = desktop_entry()
    for key in ("Type", "Name", "Exec", "Icon", "MimeType", "Categories"):
        assert entry.get(key), key
    assert entry["Type"] == "Application"
    assert re.fullmatch(r"annotator gui %f", entry["Exec"])
    assert entry["Icon"] == "annotator"
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert entry["Categories"].endswith(";")


def test_the_icon_exists_at_the_usual_sizes() -> None:
    icons = ROOT / "resources" / "icons"
    assert (icons / "annotator.svg").is_file()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = icons / f"annotator-{size}.png"
        assert png.is_file(), png
        # PNG header: width and height are big-endian at bytes 16..24
        header = png.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(header[16:20], "big") == size
        assert int.from_bytes(header[20:24], "big") == size


def test_metainfo_is_well_formed_and_matches_the_app() -> None:
    root = ET.parse(PACKAGING / f"{APP_ID}.metainfo.xml").getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == "annotator.desktop"
    assert root.findtext("name") == "Annotator"
    assert root.findtext("summary")
    assert root.find("description/p") is not None
    images = root.findall("screenshots/screenshot/image")
    assert images and all(i.text and i.text.startswith("https://") for i in images)
    releases = root.findall("releases/release")
    assert releases, "release notes"
    # the newest release is this version, with notes
    assert releases[0].get("version") == annotator.__version__
    assert releases[0].find("description/p") is not None
    assert MIME_TYPE in [m.text for m in root.findall("provides/mediatype")]


def test_mime_type_is_by_extension_only() -> None:
    root = ET.parse(PACKAGING / "annotator-mime.xml").getroot()
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.annot"]
    # "SQLite format 3" is in every SQLite file: no magic rule
    assert mime.find(f"{MIME_NS}magic") is None


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_file_validate_accepts_the_entry(check_bundle: ModuleType) -> None:
    check_bundle.validate_desktop(PACKAGING / "annotator.desktop")


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_appstreamcli_accepts_the_metainfo(check_bundle: ModuleType) -> None:
    check_bundle.validate_metainfo(PACKAGING / f"{APP_ID}.metainfo.xml")


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="shared-mime-info")
def test_the_mime_database_takes_the_type(check_bundle: ModuleType) -> None:
    assert "*.annot" in check_bundle.validate_mime(PACKAGING / "annotator-mime.xml")


def test_install_script_installs_everything_under_the_prefix(tmp_path: Path) -> None:
    prefix = tmp_path / "with space"
    program = "/opt/my apps/annotator/annotator"
    script = PACKAGING / "install-desktop-files.sh"
    args = ["bash", str(script), "--prefix", str(prefix), "--exec", program, "--no-refresh"]
    subprocess.run(args, check=True, capture_output=True)
    share = prefix / "share"
    entry = (share / "applications" / "annotator.desktop").read_text("utf-8")
    assert f'Exec="{program}" gui %f' in entry
    assert f"TryExec={program}\n" in entry
    assert (share / "mime" / "packages" / "annotator-mime.xml").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "annotator.svg").is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / "annotator.png").is_file()

    subprocess.run([*args, "--uninstall"], check=True, capture_output=True)
    left = [p for p in share.rglob("*") if p.is_file()]
    assert left == []


def test_the_spec_bundles_the_migrations_and_leaves_out_unused_qt() -> None:
    spec = (PACKAGING / "annotator.spec").read_text("utf-8")
    assert '"annotator/_db"' in spec and '"annotator/_resources"' in spec
    assert '"annotator/_docs"' in spec  # Help > User guide reads them
    for module in ("QtWebEngineCore", "Qt3DCore", "QtQuick", "QtQml", "QtMultimedia"):
        assert f'"{module}"' in spec, module


def test_the_makefile_includes_the_packaging_targets() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "include packaging/Makefile.inc" in makefile
    inc = (PACKAGING / "Makefile.inc").read_text("utf-8")
    for target in ("package:", "package-check:", "wheel-check:"):
        assert re.search(rf"^{target}", inc, re.MULTILINE), target
