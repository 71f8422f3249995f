#!/bin/sh
# fresh-machine.sh: proves that the README's two commands work on a fresh
# Debian 12 machine, not just on one that already has what they need.
#
# It makes a minimal Debian 12 root (debootstrap --variant=minbase bookworm),
# puts a fresh clone of the commit being tested (HEAD of this checkout) in it,
# and runs inside it, as root and with a clean environment:
#   1. releng/bootstrap.sh && ./toro studio, checked as .ci/run does with
#      releng/measure-studio-start.sh (RUNS=1, under xvfb-run): the workbench
#      window must appear with the kernel-src project;
#   2. releng/bootstrap.sh && xvfb-run -a -s "-screen 0 1280x1024x24" ./mvnw -B verify
#      and releng/test-summary.sh's closing line.
# Every package bootstrap.sh needs is really downloaded and installed each run.
#
# Contract: run as root on a Debian-like host with debootstrap and git. Exits 0
# only when both commands passed. Exits 1 when either failed (the log's tail
# is printed) or left a process behind, and 2 when the host refuses something
# the check needs (root, debootstrap, chroot, a mount): then it says what was
# refused and that the check cannot run here; it never passes without having run.
#
# Cache (TORO_FRESH_CACHE, default /var/cache/toro-fresh-machine), shared by
# runs on one machine, one run at a time:
#   bookworm-minbase.tar.gz  the root right after debootstrap, before anything
#                            else is installed (remade after 7 days);
#   m2-repository/           the chroot root's ~/.m2/repository (Java deps);
#   logs/                    the last run's log of each phase.
# Never cached: apt's archives and lists (the root starts with none), and the
# Maven wrapper's ~/.m2/wrapper, so every run downloads Maven itself over
# https with curl, the way a fresh machine does.
#
# Other knobs: TORO_FRESH_WORK (where the root is made, default /var/tmp),
# TORO_FRESH_MIRROR (default http://deb.debian.org/debian),
# TORO_FRESH_TIMEOUT (seconds per phase, default 3600).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${TORO_FRESH_CACHE:-/var/cache/toro-fresh-machine}
work=${TORO_FRESH_WORK:-/var/tmp}
mirror=${TORO_FRESH_MIRROR:-http://deb.debian.org/debian}
phase_timeout=${TORO_FRESH_TIMEOUT:-3600}
suite=bookworm
tarball=$cache/$suite-minbase.tar.gz
screen='-screen 0 1280x1024x24'
# Where the clone lives inside the root, as a user's checkout would.
src=/root/toro-studio
chr=""

# say: one progress line on stdout.
say() { echo "fresh-machine: $*"; }

# refuse: the host does not allow something the check needs; fail, never pass.
refuse() {
	echo "fresh-machine: $1 was refused: the fresh-machine check cannot run on this machine" >&2
	exit 2
}

# fail: the check ran and something in it failed.
fail() {
	echo "fresh-machine: FAILED: $*" >&2
	exit 1
}

# mounts_under: the mount points at or below the root, deepest first.
mounts_under() {
	[ -n "$chr" ] || return 0
	awk -v r="$chr" '$5 == r || index($5, r "/") == 1 { print length($5), $5 }' /proc/self/mountinfo |
		sort -rn | cut -d' ' -f2-
}

# inside_pids: processes whose root directory is the chroot.
inside_pids() {
	[ -n "$chr" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$chr" ] && echo "${p#/proc/}"
	done
	return 0
}

# kill_inside: TERM every process still inside the chroot, then KILL what stays.
kill_inside() {
	pids=$(inside_pids)
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086 # one pid per word
	kill -TERM $pids 2>/dev/null || true
	n=0
	while [ -n "$(inside_pids)" ] && [ $n -lt 20 ]; do
		sleep 0.5
		n=$((n + 1))
	done
	pids=$(inside_pids)
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
	sleep 0.5
}

# cleanup: on every exit path, empty the chroot of processes and mounts, then
# delete it; a mount that will not go is detached lazily, and the root is kept
# (never rm -rf through a live bind mount of the cache or of /dev).
cleanup() {
	status=$?
	trap - EXIT INT TERM HUP
	[ -n "$chr" ] || exit $status
	[ "$status" -le 128 ] || echo "fresh-machine: interrupted; cleaning up $chr" >&2
	kill_inside
	for m in $(mounts_under); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "fresh-machine: cannot unmount $m" >&2
	done
	if [ -n "$(mounts_under)" ]; then
		echo "fresh-machine: mounts left under $chr; not deleting it" >&2
		status=1
	elif [ -d "$chr" ]; then
		rm -rf "$chr"
	fi
	exit $status
}

# check_host: what must hold before anything is made.
check_host() {
	[ "$(id -u)" -eq 0 ] || refuse "running as non-root (it needs root for debootstrap, chroot and mounts)"
	command -v debootstrap >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
	command -v debootstrap >/dev/null 2>&1 || refuse "debootstrap (not installed: apt-get install debootstrap)"
	command -v git >/dev/null 2>&1 || fail "git is needed on the host to clone the commit under test"
	command -v flock >/dev/null 2>&1 || fail "flock (util-linux) is needed to keep runs sharing the cache apart"
	if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
		say "warning: uncommitted changes in $root are not tested, only HEAD is"
	fi
}

# base_root: a fresh minbase root in $chr, from the cached tarball when it is
# under 7 days old, else by debootstrap (and the tarball is remade).
base_root() {
	if [ -f "$tarball" ] && [ -z "$(find "$tarball" -mtime +6)" ]; then
		say "unpacking the cached $suite minbase root ($tarball)"
		tar -C "$chr" --numeric-owner -xzf "$tarball" || fail "cannot unpack $tarball"
		return 0
	fi
	say "debootstrap --variant=minbase $suite from $mirror"
	if ! debootstrap --variant=minbase "$suite" "$chr" "$mirror" >"$cache/logs/debootstrap.log" 2>&1; then
		tail -n 30 "$cache/logs/debootstrap.log" >&2
		refuse "debootstrap (log above; no mirror, or the host forbids mknod/chroot)"
	fi
	# debootstrap leaves the .debs it installed; a root that starts with them
	# would let apt skip downloads, so they go before the tarball is made.
	rm -rf "$chr"/var/cache/apt/archives/*.deb "$chr"/var/cache/apt/*.bin
	[ -z "$(mounts_under)" ] || fail "debootstrap left mounts under $chr"
	# /dev is left out: the root gets a /dev of its own at each run.
	tar -C "$chr" --numeric-owner --exclude=./dev/* -czf "$tarball.part" . && mv "$tarball.part" "$tarball" ||
		fail "cannot write $tarball"
}

# configure_root: what a fresh Debian 12 install has and debootstrap does not
# write: the installer's three apt sources, DNS and the site's CAs, and a policy that keeps
# package scripts from starting daemons (nothing runs an init in a chroot, and
# a daemon would outlive the check).
configure_root() {
	rm -rf "$chr"/var/cache/apt/archives/*.deb "$chr"/var/lib/apt/lists/*
	[ -z "$(find "$chr/var/cache/apt/archives" -name '*.deb')" ] || fail "apt archives not empty"
	rm -f "$chr/etc/apt/sources.list"
	cat >"$chr/etc/apt/sources.list.d/debian.sources" <<-EOF
		Types: deb
		URIs: $mirror
		Suites: $suite $suite-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

		Types: deb
		URIs: ${mirror%/debian}/debian-security
		Suites: $suite-security
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	cp -L /etc/resolv.conf "$chr/etc/resolv.conf" || fail "cannot copy /etc/resolv.conf"
	# The site's own CAs (an egress proxy's, say) are network setup like DNS:
	# without them no https download works here. They only take effect through
	# the ca-certificates package, so bootstrap.sh must still install that.
	mkdir -p "$chr/usr/local/share/ca-certificates"
	for crt in /usr/local/share/ca-certificates/*.crt; do
		if [ -f "$crt" ]; then
			cp "$crt" "$chr/usr/local/share/ca-certificates/"
		fi
	done
	printf '#!/bin/sh\nexit 101\n' >"$chr/usr/sbin/policy-rc.d"
	chmod 755 "$chr/usr/sbin/policy-rc.d"
}

# bind_dev: bind one host device node into the chroot's /dev.
bind_dev() {
	: >"$chr/dev/$1"
	mount --bind "/dev/$1" "$chr/dev/$1" || refuse "bind mount of /dev/$1"
}

# reserve_host_displays: keeps the root's X displays clear of the host's. The
# root shares the host's network namespace, so X's abstract sockets
# (@/tmp/.X11-unix/XN) are common to both, but xvfb-run -a only sees the lock
# files of the root's own /tmp: it would start an Xvfb on a host display's
# number, and the clients would reach the host's server. Locks for :99 to
# :199 (xvfb-run -a counts up from :99) make the root's displays start at :200.
reserve_host_displays() {
	n=99
	while [ $n -lt 200 ]; do
		echo "reserved for the host by fresh-machine.sh" >"$chr/tmp/.X$n-lock"
		n=$((n + 1))
	done
}

# mount_all: /proc, a /dev of its own, a tmpfs /tmp and the Maven cache.
# /dev is a fresh tmpfs with only the host's basic nodes bound in (and
# /dev/kvm, QEMU's accelerator) rather than the host's whole /dev: the root
# sees no host disks, no host /dev/shm and no host terminals, and gets its own
# devpts instance for the ptys gdb and the tests open. /sys is not mounted:
# a fresh machine has it, but nothing here needs it (Java, QEMU with KVM, GTK
# under Xvfb all run without it), and leaving it out keeps the host's out.
mount_all() {
	mount -t proc proc "$chr/proc" || refuse "mount of /proc"
	mount -t tmpfs -o mode=755,size=64m tmpfs "$chr/dev" || refuse "tmpfs mount on /dev"
	for d in null zero full random urandom tty; do
		bind_dev $d
	done
	if [ -c /dev/kvm ]; then
		bind_dev kvm
	else
		say "warning: the host has no /dev/kvm; QEMU in the root runs without KVM"
	fi
	mkdir "$chr/dev/pts" "$chr/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$chr/dev/pts" ||
		refuse "mount of a devpts instance on /dev/pts"
	ln -s pts/ptmx "$chr/dev/ptmx"
	mount -t tmpfs -o mode=1777 tmpfs "$chr/dev/shm" || refuse "tmpfs mount on /dev/shm"
	ln -s /proc/self/fd "$chr/dev/fd"
	ln -s /proc/self/fd/0 "$chr/dev/stdin"
	ln -s /proc/self/fd/1 "$chr/dev/stdout"
	ln -s /proc/self/fd/2 "$chr/dev/stderr"
	mount -t tmpfs -o mode=1777,size=8g tmpfs "$chr/tmp" || refuse "tmpfs mount on /tmp"
	reserve_host_displays
	mkdir -p "$cache/m2-repository" "$chr/root/.m2/repository"
	mount --bind "$cache/m2-repository" "$chr/root/.m2/repository" ||
		refuse "bind mount of the Maven cache $cache/m2-repository"
	chroot "$chr" /bin/true || refuse "chroot into $chr"
}

# clone_checkout: the commit under test as a user would have it, a fresh clone
# made from the host side (the minimal root has no git).
clone_checkout() {
	commit=$(git -C "$root" rev-parse HEAD)
	say "cloning $commit into $src"
	git clone -q --no-hardlinks --no-checkout "$root" "$chr$src" || fail "git clone of $root"
	git -C "$chr$src" checkout -q --detach "$commit" || fail "checkout of $commit"
}

# in_root NAME CMD: runs the shell command CMD in the checkout inside the
# chroot, with only the environment a root login has, output into the log of
# NAME; prints its duration, and its log's tail when it fails.
in_root() {
	log=$cache/logs/$1.log
	t0=$(date +%s)
	say "phase $1: $2"
	rc=0
	# In the background and waited for, so that a TERM or INT to this script
	# is acted on at once (a foreground child would delay the trap to its end).
	# C.UTF-8 is the one UTF-8 locale a minimal Debian has without locales.
	timeout --kill-after=30 "$phase_timeout" chroot "$chr" /usr/bin/env -i \
		HOME=/root USER=root LOGNAME=root SHELL=/bin/sh TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/sh -c "cd $src && $2" >"$log" 2>&1 </dev/null &
	wait $! || rc=$?
	say "phase $1 exited $rc after $(($(date +%s) - t0)) s (log: $log)"
	if [ $rc -ne 0 ]; then
		tail -n 60 "$log" | sed 's/^/  | /' >&2
		return 1
	fi
}

# left_behind: fails when a test left a process in the root (the root has no
# daemons, so anything still there came from the commands).
left_behind() {
	pids=$(inside_pids)
	[ -n "$pids" ] || return 0
	for p in $pids; do
		echo "  $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" >&2
	done
	echo "fresh-machine: processes left inside the root (above)" >&2
	return 1
}

main() {
	check_host
	mkdir -p "$cache/logs" "$work" || refuse "creating $cache"
	# One run at a time per cache: two would share the Maven repository.
	exec 9>"$cache/lock"
	flock -n 9 || { say "waiting for another run to release $cache/lock"; flock 9; }
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	# canonical, because processes inside are found by comparing /proc/*/root with it
	chr=$(cd "$(mktemp -d "$work/toro-fresh.XXXXXX")" && pwd -P)
	start=$(date +%s)
	t0=$start
	base_root
	configure_root
	mount_all
	clone_checkout
	say "root ready after $(($(date +%s) - t0)) s"
	status=0
	in_root main-job "releng/bootstrap.sh && RUNS=1 xvfb-run -a -s '$screen' releng/measure-studio-start.sh" || status=1
	# Evidence that bootstrap.sh itself installed everything: apt's own counts.
	say "bootstrap.sh set up $(grep -c '^Setting up ' "$cache/logs/main-job.log") packages;" \
		"apt: $(grep '^Fetched .* MB' "$cache/logs/main-job.log" | tail -n 1)"
	grep -E '^(run 1|median):' "$cache/logs/main-job.log" | sed 's/^/  /' || true
	in_root verify "releng/bootstrap.sh && xvfb-run -a -s '$screen' ./mvnw -B verify" || status=1
	in_root test-summary "releng/test-summary.sh" || status=1
	sed 's/^/  /' "$cache/logs/test-summary.log"
	left_behind || status=1
	say "total $(($(date +%s) - start)) s"
	[ $status -eq 0 ] || fail "see the phases above; logs in $cache/logs"
	say "passed: the README's two commands work on a fresh Debian 12 root"
}

main "$@"
