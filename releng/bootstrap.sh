#!/bin/sh
# Installs the Debian packages Toro Studio needs: the commands it runs and the
# runtime libraries it loads (SWT's native code needs GTK 3). As root:
# `apt-get update` once, then one install of whatever is missing. As another
# user: prints the exact command and stops. Maven and every Java dependency
# come later from Maven Central through ./mvnw; nothing else is downloaded.
set -eu

# command:package pairs; one package may provide several commands
NEEDS="java:openjdk-17-jdk-headless javac:openjdk-17-jdk-headless nasm:nasm gcc:gcc ld:binutils objcopy:binutils
qemu-system-x86_64:qemu-system-x86 gdb:gdb xvfb-run:xvfb xauth:xauth ss:iproute2 ps:procps
curl:curl unzip:unzip xdotool:xdotool debootstrap:debootstrap wrk:wrk tc:iproute2"

# Packages checked by name, because no command names them: libraries loaded at
# run time, certificates and headers.
# libgtk-3-0 is what SWT's libswt-pi3 links against (gdk, pango, cairo come
# with it); fonts-dejavu-core gives GTK something to draw text with.
# ca-certificates lets the Maven wrapper's wget or curl check Maven Central's
# https certificate; --no-install-recommends skips it for curl, and it came
# only through the JDK's ca-certificates-java, so it is named here.
# libc6-dev is gcc's recommended C library headers (/usr/include): the kernel
# is freestanding, but the build engine's tests compile hosted C with gcc.
LIBS="libgtk-3-0 fonts-dejavu-core ca-certificates libc6-dev"

missing=""
add() {
	case " $missing " in
	*" $1 "*) ;;
	*) missing="$missing $1" ;;
	esac
}
for pair in $NEEDS; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || add "${pair#*:}"
done
for pkg in $LIBS; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || add "$pkg"
done

if [ -z "$missing" ]; then
	echo "bootstrap: every tool and library is installed."
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
