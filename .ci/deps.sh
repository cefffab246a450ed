#!/usr/bin/env bash
# Installs, on Debian or Ubuntu, the system packages Frontdesk needs to build
# and test (a C compiler and the X11/GL headers for Fyne, libusb for USB
# readers, Xvfb for tests without a screen, poppler and ImageMagick to check
# PDF reports and images). Only missing packages are installed; Go itself is
# not.
set -euo pipefail

export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"
export DEBIAN_FRONTEND=noninteractive

# libc6-dev is only a recommendation of gcc, and --no-install-recommends
# would leave cgo without C headers; ca-certificates lets Go fetch modules;
# make runs everything else.
packages=(
	ca-certificates
	make
	gcc
	libc6-dev
	pkg-config
	libgl1-mesa-dev
	xorg-dev
	libusb-1.0-0-dev
	xvfb
	libgl1-mesa-dri
	xauth
	poppler-utils
	imagemagick
)

if ! command -v go >/dev/null 2>&1; then
	echo "deps: Go not found (looked on PATH and in /usr/local/go/bin)." >&2
	echo "deps: install Go >= 1.26 from https://go.dev/dl/ into /usr/local/go, then run make again." >&2
	exit 1
fi

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: not a Debian/Ubuntu system; make sure the equivalents of these are installed:" >&2
	echo "deps:   ${packages[*]}" >&2
	exit 0
fi

missing=()
for p in "${packages[@]}"; do
	# Not `dpkg -s | grep -q`: grep's early exit would fail the pipe (pipefail).
	status="$(dpkg -s "$p" 2>/dev/null || true)"
	if [[ $status != *$'\nStatus: install ok installed'* && $status != 'Status: install ok installed'* ]]; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all system packages present"
	exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=(sudo env DEBIAN_FRONTEND=noninteractive)
	else
		echo "deps: missing ${missing[*]}; run as root or install sudo" >&2
		exit 1
	fi
fi

# Another apt or dpkg run (unattended upgrades, a second terminal) may hold
# the lock: wait for it rather than fail.
apt=("${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300)

echo "deps: installing ${missing[*]}"
for try in 1 2 3; do
	if "${apt[@]}" update; then
		break
	fi
	if [ "$try" -eq 3 ]; then
		echo "deps: apt-get update failed" >&2
		exit 1
	fi
	sleep 10
done
"${apt[@]}" install -y --no-install-recommends "${missing[@]}" </dev/null
