#!/usr/bin/env bash
# Microsoft's Python SDK for Job Router against `cargo xtask serve`, signed
# with an access key: installs the pinned SDK into target/sdk-venv, starts
# the emulator on a free loopback port, runs lifecycle.py, stops the emulator.
# Needs python3 with venv and PyPI; used by .ci/run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
venv="$root/target/sdk-venv"
sdk="azure-communication-jobrouter==1.0.0"

if ! "$venv/bin/python" -c 'import azure.communication.jobrouter' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$sdk"
fi

# A throwaway key: 32 random bytes, base64, as the Azure portal shows one.
key="$("$venv/bin/python" -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"

cargo build --quiet --locked -p xtask
log="$(mktemp)"
trap 'kill -INT "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT
JOBROUTER_ACCESS_KEY="$key" "$root/target/debug/xtask" serve --addr 127.0.0.1:0 >"$log" 2>&1 &
server=$!

url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)"
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; echo "sdk: the emulator exited before listening" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "sdk: the emulator did not say where it listens within 10 s" >&2; exit 1; }

timeout 120 "$venv/bin/python" "$here/lifecycle.py" "$url" "$key"
