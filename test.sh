#!/usr/bin/env bash
# Runs the whole test suite. Installs what the tests need when it is missing (PostgreSQL 15 server
# binaries, Debian's chromium and Node.js, python3-pytest, redis-server and nginx, from apt); the tests start their own throwaway PostgreSQL cluster.
# The Python client's tests (clients/python, pytest with Debian's /usr/bin/python3) run after the .NET ones, against the
# Release server and CLI built here, and are counted in the closing line.
# Set TRACKER_TEST_POSTGRES to a connection string to use an existing server instead.
set -uo pipefail
cd "$(dirname "$0")"

missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)   # the MLflow interop test drives a third-party npm client
/usr/bin/python3 -c 'import pytest' >/dev/null 2>&1 || missing+=(python3-pytest)   # the Python client's tests
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)   # replicas: the hub backplane and cache invalidations
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)   # replicas: the load balancer of the multi-process tests
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from apt..."
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { echo "could not install ${missing[*]}"; exit 1; }
fi

rm -rf TestResults
# One code style: layout is CSharpier's (`dotnet csharpier format .` fixes it); `var` and the analyzers are checked by the build.
{ dotnet tool restore >/dev/null && dotnet csharpier check .; } || { echo "0 passed, 1 failed (format: run dotnet csharpier format .)"; exit 1; }
dotnet build Tracker.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed (build)"; exit 1; }
# The projects run in parallel; the slow multi-server tests (server replicas as processes or in process, nginx, Redis, SIGKILL and
# PostgreSQL restarts: Category=Slow) run after them on their own, one class at a time, so that their timing bounds are not measured on a
# machine that the browser tests saturate.
dotnet test Tracker.sln -c Release --no-build -nologo --filter "Category!=Slow" --logger "trx" --results-directory TestResults
status=$?
dotnet test tests/Tracker.Server.Tests -c Release --no-build -nologo --filter "Category=Slow" --logger "trx" --results-directory TestResults
slow_status=$?
[ "$slow_status" -ne 0 ] && status=$slow_status

# The Python client against a real server (both stores); torch is optional (its test is skipped without python3-torch).
/usr/bin/python3 -m pytest clients/python -q -p no:cacheprovider --junitxml=TestResults/python-client.xml
py_status=$?
[ "$py_status" -ne 0 ] && status=$py_status

passed=0; failed=0
for f in TestResults/*.trx; do
  [ -f "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f_=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f_:-0}))
done
if [ -f TestResults/python-client.xml ]; then
  suite=$(grep -o '<testsuite [^>]*>' TestResults/python-client.xml | head -1)
  attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$suite"; }
  t=$(attr tests); e=$(attr errors); f_=$(attr failures); s=$(attr skipped)
  passed=$((passed + ${t:-0} - ${e:-0} - ${f_:-0} - ${s:-0})); failed=$((failed + ${e:-0} + ${f_:-0}))
fi
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
exit $status
