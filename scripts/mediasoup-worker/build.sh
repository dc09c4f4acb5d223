#!/usr/bin/env bash
# Builds mediasoup-worker offline against Debian 12's own libraries.
#
#   build.sh <mediasoup-package-dir> <output-binary>
#
# mediasoup's own postinstall downloads a prebuilt worker from GitHub or
# builds one with meson subprojects fetched from GitHub and wrapdb; neither
# host is reachable from our machines. Instead we copy the worker sources out
# of the installed package, replace every meson subproject with a shim (see
# shims/) backed by a Debian -dev package, apply our fixes (patches/, each
# explains itself), and build only the worker binary. The installed package
# itself is never modified.
#
# Progress lines on stdout look like "[123/456] ..." (ninja's own); the setup
# script turns them into a percentage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
die() { echo "mediasoup-worker build: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 <mediasoup-package-dir> <output-binary>"
pkg=$(cd "$1" && pwd) || die "no such directory: $1"
out=$2
[ -f "$pkg/worker/meson.build" ] || die "$pkg does not look like the mediasoup package (no worker/meson.build)"

version=$(node -p "require('$pkg/package.json').version")
# The shims expose exactly the meson variables and libsrtp API that these
# versions use; other versions need the shims checked first.
case "$version" in
	3.19.3) ;;
	*) die "mediasoup $version is not supported by this build recipe (known: 3.19.3). Update scripts/mediasoup-worker/ for it first." ;;
esac

for cmd in meson ninja flatc pkg-config c++ cc strip patch; do
	command -v "$cmd" >/dev/null || die "'$cmd' is missing; run 'npm run setup' as root, or install the packages listed in scripts/system-packages.mjs"
done
for module in openssl libuv libsrtp2 usrsctp flatbuffers absl_flat_hash_map absl_btree absl_strings; do
	pkg-config --exists "$module" || die "pkg-config module '$module' is missing; install the packages listed in scripts/system-packages.mjs"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/consilium-mediasoup-worker.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -a "$pkg/worker" "$work/worker"
src="$work/worker"

# Subprojects: drop the download recipes, put our Debian-backed shims in place.
rm -rf "$src/subprojects"
mkdir -p "$src/subprojects"
cp -a "$here/shims/." "$src/subprojects/"

for fix in "$here"/patches/*.patch; do
	patch --quiet --forward --directory "$src" -p1 <"$fix" \
		|| die "patch $(basename "$fix") does not apply to mediasoup $version"
done

# mediasoup asks for meson >= 1.1.0; Debian 12 ships 1.0.1, which builds it fine.
sed -i -E "s/meson_version *: *'>= *1\.[0-9]+\.[0-9]+'/meson_version: '>= 1.0.0'/" "$src/meson.build"

meson_options=(--buildtype release -Db_ndebug=true --wrap-mode=nodownload)
# Debian's liburing 2.3 lacks functions mediasoup calls; io_uring is an optional speed-up.
if grep -q ms_disable_liburing "$src/meson_options.txt"; then
	meson_options+=(-Dms_disable_liburing=true)
fi

echo "configuring mediasoup $version worker"
meson setup "$src/build" "$src" "${meson_options[@]}" >"$work/meson-setup.log" 2>&1 \
	|| { cat "$work/meson-setup.log" >&2; die "meson setup failed (log above)"; }

# The generated flatbuffers headers are not ordered before the C++ objects.
meson compile -C "$src/build" flatbuffers-generator >"$work/flatbuffers.log" 2>&1 \
	|| { cat "$work/flatbuffers.log" >&2; die "generating flatbuffers headers failed (log above)"; }

ninja -C "$src/build" -j "${MEDIASOUP_BUILD_JOBS:-$(nproc)}" mediasoup-worker

mkdir -p "$(dirname "$out")"
strip -o "$out.partial" "$src/build/mediasoup-worker"
mv "$out.partial" "$out"
echo "built $out ($(stat -c %s "$out") bytes)"
