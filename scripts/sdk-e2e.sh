#!/usr/bin/env bash
# The path of a third-party plugin author, end to end, in an empty folder outside the repo with only the .NET SDK and
# the local feed (artifacts/packages/, from scripts/pack.sh; packed here when missing):
#   dotnet new rerank-plugin → dotnet test → dotnet pack → rerank plugins check → rerank plugins install → rerank run
# Nothing is written to the user's home: the template hive, the tool and the NuGet cache live in the temp folder
# (a fresh cache also means the Rerank packages come from the feed just packed, never a stale cached copy).
# RERANK_E2E_KEEP=1 keeps the folder for inspection.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
feed=$repo/artifacts/packages
version=$(sed -nE 's#.*<RerankVersion>([^<]+)</RerankVersion>.*#\1#p' "$repo/Directory.Build.props")
if [ ! -f "$feed/Rerank.Templates.$version.nupkg" ] || [ ! -f "$feed/Rerank.Cli.$version.nupkg" ]; then
  bash "$repo/scripts/pack.sh"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/rerank-sdk-e2e.XXXXXX")
if [ "${RERANK_E2E_KEEP:-0}" = "1" ]; then echo "keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
export NUGET_PACKAGES=$work/nuget-packages DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
step() { echo; echo "== $*"; }
cd "$work"

step "dotnet new install Rerank.Templates $version"
dotnet new install "$feed/Rerank.Templates.$version.nupkg" --debug:custom-hive "$work/hive"
step "dotnet new rerank-plugin -n Acme.Rerank"
dotnet new rerank-plugin -n Acme.Rerank --feed "$feed" --debug:custom-hive "$work/hive"
cd Acme.Rerank

step "dotnet test"
dotnet test --nologo 2>&1 | tail -3
step "dotnet pack"
dotnet pack Acme.Rerank/Acme.Rerank.csproj -c Release -o packages --nologo -v q
ls packages

step "dotnet tool install Rerank.Cli $version (rerank)"
dotnet tool install Rerank.Cli --version "$version" --tool-path "$work/tools" --add-source "$feed"
rerank() { DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$work/tools/rerank" "$@"; }

step "rerank plugins check packages/Acme.Rerank.1.0.0.nupkg"
rerank plugins check packages/Acme.Rerank.1.0.0.nupkg
step "rerank plugins install (acme, and the shipped baselines for the experiment's other pipelines)"
rerank plugins install packages/Acme.Rerank.1.0.0.nupkg --plugins plugins
rerank plugins install "$feed/Rerank.Plugins.Baselines.$version.nupkg" --plugins plugins
rerank plugins list --plugins plugins

step "rerank run experiments/sample.yaml"
rerank run experiments/sample.yaml --out out/sample --plugins plugins
# Every pipeline ran: a failed one would be a marked row (and exit 1 above).
for pipeline in initial mmr linear linear-capped; do
  grep -q "\"pipeline\": *\"$pipeline\"" out/sample/results.json || { echo "results.json has no row '$pipeline'" >&2; exit 1; }
done
echo
echo "sdk-e2e: template → test → pack → check → install → run: ok"
