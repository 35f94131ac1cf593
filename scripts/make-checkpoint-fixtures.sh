#!/usr/bin/env bash
# Writes the committed checkpoint fixtures (tests/fixtures/checkpoints/<plugin>/<component>/LABEL.safetensors and
# LABEL.expected.txt) in the checkpoint format of the current code: every trainable component's conformance class trains
# it as its conformance tests do (tiny widths, 1-2 epochs, 32 synthetic logged lists), saves it and records its outputs
# on the sample batch. The tests never write fixtures; they load every committed one and compare.
# Usage: bash scripts/make-checkpoint-fixtures.sh LABEL     (e.g. format-1; never reuse the label of an older format)
set -euo pipefail
cd "$(dirname "$0")/.."
label=${1:?usage: make-checkpoint-fixtures.sh LABEL (e.g. format-1)}
for project in Baselines DeGRe Nar4Rec Pear SortGen; do
  RERANK_WRITE_CHECKPOINT_FIXTURES="$label" dotnet test "tests/$project.Tests" -c Release --nologo \
    --filter "FullyQualifiedName~Load_CommittedCheckpoints_SameOutputsAsWhenSaved"
done
ls -l tests/fixtures/checkpoints/*/*/"$label".*
