#!/usr/bin/env bash
# Install Annotator's desktop integration: the menu entry, the application icon at the usual
# sizes, the .annot file type (so that file managers open projects with Annotator) and the
# AppStream metainfo (software centres).
#
#   packaging/install-desktop-files.sh [--prefix DIR] [--exec COMMAND] [--no-refresh]
#
#   --prefix DIR     where to install: ~/.local (the default, for one user) or /usr/local (all
#                    users, run as root). Files go to DIR/share/{applications,icons,mime,metainfo}.
#   --exec COMMAND   the program the menu entry starts. Default: the bundle's own `annotator`
#                    when run from a bundle's desktop/ folder, else `annotator` found on PATH
#                    (a pip install).
#   --no-refresh     do not refresh the MIME, desktop and icon caches afterwards.
#
# Uninstall: the same with --uninstall.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
APP_ID="org.example.Annotator"
PREFIX="$HOME/.local"
# Run from a source checkout (packaging/ beside resources/) or from the bundle (desktop/ beside
# the `annotator` program, whose resources are under _internal/).
if [ -d "$ROOT/resources/icons" ]; then
    ICONS="$ROOT/resources/icons"
else
    ICONS="$ROOT/_internal/annotator/_resources/icons"
fi
if [ -x "$ROOT/annotator" ] && [ -d "$ROOT/_internal" ]; then
    EXEC="$ROOT/annotator"
else
    EXEC="annotator"
fi
REFRESH=1
UNINSTALL=0
SIZES="16 24 32 48 64 128 256 512"

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="$2"; shift 2 ;;
        --exec) EXEC="$2"; shift 2 ;;
        --no-refresh) REFRESH=0; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-desktop-files.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

SHARE="$PREFIX/share"
DESKTOP="$SHARE/applications/annotator.desktop"
MIME_XML="$SHARE/mime/packages/annotator-mime.xml"
METAINFO="$SHARE/metainfo/$APP_ID.metainfo.xml"

if [ "$UNINSTALL" = 1 ]; then
    rm -f "$DESKTOP" "$MIME_XML" "$METAINFO" "$SHARE/icons/hicolor/scalable/apps/annotator.svg"
    for size in $SIZES; do
        rm -f "$SHARE/icons/hicolor/${size}x${size}/apps/annotator.png"
    done
else
    for size in $SIZES; do
        install -D -m 0644 "$ICONS/annotator-$size.png" \
            "$SHARE/icons/hicolor/${size}x${size}/apps/annotator.png"
    done
    install -D -m 0644 "$ICONS/annotator.svg" "$SHARE/icons/hicolor/scalable/apps/annotator.svg"
    install -D -m 0644 "$HERE/annotator-mime.xml" "$MIME_XML"
    install -D -m 0644 "$HERE/$APP_ID.metainfo.xml" "$METAINFO"
    # The entry starts `annotator gui FILE`; point it at the program given with --exec.
    mkdir -p "$(dirname "$DESKTOP")"
    # A path with spaces is quoted in Exec (the desktop entry specification), not in TryExec.
    exec_arg="$EXEC"
    case "$EXEC" in *" "*) exec_arg="\"$EXEC\"" ;; esac
    sed_escape() { printf '%s' "$1" | sed 's/[\\&|]/\\&/g'; }
    sed -e "s|^Exec=annotator |Exec=$(sed_escape "$exec_arg") |" \
        -e "s|^TryExec=annotator\$|TryExec=$(sed_escape "$EXEC")|" \
        "$HERE/annotator.desktop" > "$DESKTOP"
    chmod 0644 "$DESKTOP"
fi

if [ "$REFRESH" = 1 ]; then
    if command -v update-mime-database >/dev/null 2>&1; then
        update-mime-database "$SHARE/mime" >/dev/null 2>&1 || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t -f "$SHARE/icons/hicolor" 2>/dev/null || true
    fi
fi

if [ "$UNINSTALL" = 1 ]; then
    echo "Removed Annotator's desktop files from $SHARE."
else
    echo "Installed Annotator's menu entry, icons, .annot file type and metainfo into $SHARE."
fi
