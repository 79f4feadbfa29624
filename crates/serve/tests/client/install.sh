#!/bin/sh
# Installs the Perspective client library used by crates/serve/tests/serve.rs.
# Usage: crates/serve/tests/client/install.sh   (needs node and npm)
set -eu
cd "$(dirname "$0")"
npm install --no-audit --no-fund --loglevel=error
