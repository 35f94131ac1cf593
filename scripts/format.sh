#!/usr/bin/env bash
# Checks that the code follows .editorconfig (file-scoped namespaces, internal types sealed, ordered usings, whitespace).
# `bash scripts/format.sh --fix` rewrites what it can instead of checking.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fix" ]; then
  dotnet format Framework.sln --severity warn
else
  dotnet format Framework.sln --verify-no-changes --severity warn
fi
