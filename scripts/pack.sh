#!/usr/bin/env bash
# Packs every package into artifacts/packages/ (a local feed): Rerank.Abstractions, Rerank.Engine, Rerank.Runtime,
# Rerank.Conformance, Rerank.Plugin.Sdk, Rerank.Templates, the CLI as a .NET tool (Rerank.Cli) and each shipped plugin
# (Rerank.Plugins.*, the laid-out plugin under plugin/). Their version is RerankVersion in Directory.Build.props.
# Extra arguments go to `dotnet pack`.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(-c Release --nologo -v q)
# The package's repository: this clone's origin, when it has one (the commit is recorded by the SDK itself).
if url=$(git config --get remote.origin.url 2>/dev/null) && [ -n "$url" ]; then
  args+=("-p:RepositoryUrl=$url")
fi
# A package's version never changes its content in a feed: start from an empty folder so nothing stale is offered.
rm -rf artifacts/packages
dotnet pack Framework.sln "${args[@]}" "$@"
echo "packages in artifacts/packages:"
ls -1 artifacts/packages
