#!/bin/sh
# Installs the client libraries that crates/serve/tests/clients.rs drives:
# the npm package perspective-api-client (needs node and npm) and Google's
# API client library for Python in .venv (needs python3 with venv).
# Usage: crates/serve/tests/client/install.sh
set -eu
cd "$(dirname "$0")"
npm install --no-audit --no-fund --loglevel=error
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
