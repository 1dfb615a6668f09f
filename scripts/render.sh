#!/usr/bin/env bash
# Renders what jxmb writes the way a user sees it: converts the samples, then has LibreOffice
# print a corrected workbook and the roll-up to PDF, and pdftoppm turn the pages into PNGs.
# Needs: libreoffice-calc-nogui poppler-utils fonts-noto-cjk (apt).
#   scripts/render.sh [OUT]     (default: target/render)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/render}
rm -rf "$out" && mkdir -p "$out"
cargo run --quiet --release -- convert sample-workbooks/lunan-2025 -o "$out/convert" >/dev/null || true
cp "$out/convert/corrected/3.劳务费.xlsx" "$out/corrected.xlsx"
cp "$out/convert/corrected/6.优化营商环境项目经费.xlsx" "$out/corrected-6.xlsx"
cp "$out/convert/汇总.xlsx" "$out/rollup.xlsx"
# The seed as published in Word: its tables as a corrected workbook, its 部门整体 section in
# the roll-up's 部门整体 sheet.
cargo run --quiet --release -- convert sample-workbooks/lunan-2025-word -o "$out/word" >/dev/null || true
cp "$out/word/corrected/2025年部门预算绩效目标.xlsx" "$out/corrected-word.xlsx"
cp "$out/word/汇总.xlsx" "$out/rollup-word.xlsx"
# The year-end 自评表 beside their 目标表: a corrected 自评表 and the roll-up's 自评汇总.
cargo run --quiet --release -- convert sample-workbooks/lunan-2025 sample-workbooks/lunan-2025-selfeval -o "$out/selfeval" >/dev/null || true
cp "$out/selfeval/corrected/lunan-2025-selfeval/3.劳务费自评表.xlsx" "$out/corrected-selfeval.xlsx"
cp "$out/selfeval/汇总.xlsx" "$out/rollup-selfeval.xlsx"
profile=$(mktemp -d)
(cd "$out" && soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf corrected.xlsx corrected-6.xlsx rollup.xlsx corrected-word.xlsx rollup-word.xlsx corrected-selfeval.xlsx rollup-selfeval.xlsx >/dev/null 2>&1)
rm -rf "$profile"
for pdf in "$out"/*.pdf; do
  pdftoppm -r 80 -png "$pdf" "${pdf%.pdf}"
done
ls "$out"/*.png
