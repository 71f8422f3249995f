#!/bin/sh
# Measures the time from `toro studio` to the Toro Studio workbench window
# being mapped, RUNS times on a fresh workspace each, under the current
# DISPLAY (use: xvfb-run -a -s "-screen 0 1280x1024x24" releng/measure-studio-start.sh).
# Each run must also show the kernel-src project in the new workspace, or the
# script fails: CI uses it as the end-to-end check of the README's main command.
# Needs xdotool (releng/bootstrap.sh installs it). Prints each time and the median.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
command -v xdotool >/dev/null || { echo "measure-studio-start: needs xdotool (apt-get install -y xdotool)" >&2; exit 1; }
times=""
i=0
while [ $i -lt "$runs" ]; do
	ws=$(mktemp -d)
	t0=$(date +%s%N)
	"$root/toro" studio --workspace "$ws" >/dev/null 2>&1 &
	pid=$!
	until xdotool search --onlyvisible --name 'Toro Studio' >/dev/null 2>&1; do
		sleep 0.05
		kill -0 $pid 2>/dev/null || { echo "measure-studio-start: toro studio exited early" >&2; exit 1; }
	done
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	echo "run $((i + 1)): ${ms} ms"
	# The workspace records each project it holds under .projects/.
	waited=0
	until [ -d "$ws/.metadata/.plugins/org.eclipse.core.resources/.projects/kernel-src" ]; do
		sleep 0.5
		waited=$((waited + 1))
		if [ $waited -gt 120 ]; then
			echo "measure-studio-start: no kernel-src project in $ws after 60 s" >&2
			pkill -P $pid 2>/dev/null || true
			exit 1
		fi
	done
	times="$times $ms"
	if [ -n "${SHOT:-}" ] && [ $i -eq 0 ]; then
		sleep "${SHOT_DELAY:-8}"
		import -window root "$SHOT"
	fi
	pkill -P $pid 2>/dev/null || true
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	rm -rf "$ws"
	i=$((i + 1))
done
echo "$times" | tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print "median: " a[int((NR + 1) / 2)] " ms" }'
