#!/bin/sh
# Installs the Debian packages Toro Studio needs. As root: `apt-get update`
# once, then one install of whatever is missing. As another user: prints the
# exact command and stops. Maven and every Java dependency come later from
# Maven Central through ./mvnw; nothing else is downloaded.
set -eu

# command:package pairs; one package may provide several commands
NEEDS="java:openjdk-17-jdk-headless javac:openjdk-17-jdk-headless nasm:nasm gcc:gcc ld:binutils objcopy:binutils
qemu-system-x86_64:qemu-system-x86 gdb:gdb xvfb-run:xvfb xauth:xauth ss:iproute2 ps:procps
curl:curl unzip:unzip xdotool:xdotool"

missing=""
for pair in $NEEDS; do
	cmd=${pair%%:*}
	pkg=${pair#*:}
	if ! command -v "$cmd" >/dev/null 2>&1; then
		case " $missing " in
		*" $pkg "*) ;;
		*) missing="$missing $pkg" ;;
		esac
	fi
done

if [ -z "$missing" ]; then
	echo "bootstrap: every tool is installed."
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "bootstrap: missing packages:$missing" >&2
	echo "bootstrap: install them as root, then run this again:" >&2
	echo "  sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y$missing'" >&2
	exit 1
fi

echo "bootstrap: installing$missing"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
echo "bootstrap: done."
