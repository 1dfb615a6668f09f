#!/usr/bin/env bash
# Rebuilds sample-workbooks/ from the seed. Needs LibreOffice (soffice) for the .xls/.ods layouts
# and msoffcrypto-tool (pip) for the encrypted workbook; the results are committed, so tests and
# CI need neither.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
cargo run --quiet --example make-samples -- "$here"
cd "$here/layouts"
# An .xls made from the stacked layout and an .ods from the sheet-per-project one, by LibreOffice.
soffice --headless --calc --convert-to xls 合并一表.xlsx >/dev/null
soffice --headless --calc --convert-to ods 按项目分表.xlsx >/dev/null
cd "$here/broken"
tmp=$(mktemp -d)
cp "$here/lunan-2025/3.劳务费.xlsx" "$tmp/plain.xlsx"
msoffcrypto-tool -e -p jxmb2025 "$tmp/plain.xlsx" 加密.xlsx
rm -rf "$tmp"
echo "sample-workbooks rebuilt"
