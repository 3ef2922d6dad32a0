#!/usr/bin/env bash
# Builds the roll-up example that notebooks/compare_counties.ipynb reads, the way two counties
# and their province would: 长沙县 (the sample returns of input/) and 荷塘区 (config/hetang.toml,
# the fixture returns of tests/fixtures/rollup/) each publish May and June 2022 and export their
# bundles; 湖南省 (tests/fixtures/rollup/province-two-counties.toml) rolls each month up.
#
#   tools/rollup/demo.sh            # everything under output-rollup/ (made afresh)
#   LIAISON=target/release/liaison tools/rollup/demo.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
read -r -a L <<< "${LIAISON:-cargo run --quiet --locked --}"
W=output-rollup
rm -rf "$W"
mkdir -p "$W"
for p in 2022-05 2022-06; do
  "${L[@]}" --output "$W/长沙县" report "input/$p" > /dev/null
  "${L[@]}" --output "$W/长沙县" archive export --period "$p" --to "$W/上报/$p/长沙县-$p.zip" > /dev/null
  "${L[@]}" --config config/hetang.toml --output "$W/荷塘区" report "tests/fixtures/rollup/hetang-$p" --period "$p" > /dev/null
  "${L[@]}" --config config/hetang.toml --output "$W/荷塘区" archive export --period "$p" --to "$W/上报/$p/荷塘区-$p.zip" > /dev/null
  "${L[@]}" --config tests/fixtures/rollup/province-two-counties.toml --output "$W/湖南省" rollup "$W/上报/$p"
done
echo "roll-up history: $W/湖南省/history"
