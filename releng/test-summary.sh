#!/bin/sh
# Sums the Surefire reports of every test bundle under the checkout and prints
# one closing line, "N passed, N failed, N skipped". Exits 1 when any test
# failed or erred, or when no report exists at all (a run that ran no test).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
reports=$(find "$root/plugins" -path '*/target/surefire-reports/TEST-*.xml' 2>/dev/null)
if [ -z "$reports" ]; then
	echo "test-summary: no Surefire report under $root/plugins: no test ran" >&2
	exit 1
fi
# The <testsuite ...> element carries tests, failures, errors and skipped.
# shellcheck disable=SC2086 # one path per word
sed -n 's/.*<testsuite \(.*\)>.*/\1/p' $reports | awk '
	function attr(name,   m) { if (match($0, name "=\"[0-9]+\"")) { m = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); return m + 0 } return 0 }
	{ tests += attr("tests"); failed += attr("failures") + attr("errors"); skipped += attr("skipped") }
	END { printf "%d passed, %d failed, %d skipped\n", tests - failed - skipped, failed, skipped; exit failed > 0 }'
