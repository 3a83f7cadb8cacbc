#!/bin/sh
# Install testlearn for the current user, without administrator rights:
#   ./install.sh                    into ~/.local (the app in ~/.local/lib/testlearn)
#   ./install.sh --prefix DIR       into DIR instead (DIR/lib/testlearn, DIR/bin, DIR/share)
#   ./install.sh --uninstall        remove it again (with the same --prefix, if one was given)
# Your databases are not touched by either: they live in ~/.local/share/testlearn.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
prefix="${HOME}/.local"
action=install
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
app="$prefix/lib/testlearn"
bin="$prefix/bin/testlearn"
desktop="$prefix/share/applications/testlearn.desktop"
png="$prefix/share/icons/hicolor/256x256/apps/testlearn.png"
svg="$prefix/share/icons/hicolor/scalable/apps/testlearn.svg"

refresh_menus() {
    # Desktops re-read these caches themselves eventually; refreshing makes the entry appear now.
    command -v update-desktop-database >/dev/null 2>&1 &&
        update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 &&
        gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" 2>/dev/null || true
}

if [ "$action" = uninstall ]; then
    rm -rf "$app"
    rm -f "$bin" "$desktop" "$png" "$svg"
    refresh_menus
    echo "testlearn removed from $prefix (your databases were left where they are)"
    exit 0
fi

# Replace a previous version whole, so no file of it lingers among the new ones.
rm -rf "$app.new"
mkdir -p "$prefix/lib" "$prefix/bin" "$(dirname "$desktop")" "$(dirname "$png")" "$(dirname "$svg")"
cp -R "$here/testlearn" "$app.new"
rm -rf "$app"
mv "$app.new" "$app"
ln -sf "$app/testlearn" "$bin"
sed "s|@EXEC@|$app/testlearn|" "$here/testlearn.desktop" > "$desktop"
cp "$here/testlearn.png" "$png"
cp "$here/testlearn.svg" "$svg"
refresh_menus
echo "testlearn $(cat "$here/VERSION") installed in $app"
echo "Start it from your desktop's menu, or run $bin"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "($prefix/bin is not on your PATH; add it to run plain 'testlearn' in a terminal)" ;;
esac
