#!/usr/bin/env bash
# Checks the Windows package as an analyst would use it: builds dist/hoctap-<version>-win-x64.zip, unzips it into a
# folder whose path has spaces and Vietnamese accents, and runs hoctap.cmd under Wine (Node 22's Windows build runs
# there): catalog, mistakes (Vietnamese messages), the demo (no browser under Wine: HTML and XLSX, no PDF), init and
# an ingest of renamed files from another folder; checks the files written and the texts in them.
#
#   scripts/check-windows-package.sh            (npm run check:windows)
#   HOCTAP_ZIP=dist/x.zip scripts/...           check that zip instead of building one
#
# Without wine: fails when CI is set, otherwise skips with a loud message. Node's output goes to files, never to a
# pipe: under Wine a pipe can fail with EBADF.
set -euo pipefail
cd "$(dirname "$0")/.."

WINE=${WINE:-/usr/lib/wine/wine64}
WINESERVER=${WINESERVER:-$(dirname "$WINE")/wineserver}
if [ ! -x "$WINE" ]; then
  if [ -n "${CI:-}" ]; then
    echo "LỖI: không có Wine ($WINE) để kiểm tra gói Windows: .ci/run phải cài gói wine64." >&2
    exit 1
  fi
  echo "" >&2
  echo "!!! BỎ QUA kiểm tra gói Windows: không có Wine ($WINE). Trong CI bước này sẽ thất bại. !!!" >&2
  echo "" >&2
  exit 0
fi

started=$SECONDS
elapsed() { echo "$((SECONDS - started)) s"; }
failures=0
fail() { echo "  THẤT BẠI: $*" >&2; failures=$((failures + 1)); }
ok() { echo "  ok: $*"; }
# expect_text FILE TEXT: the file exists and contains TEXT (fixed string).
expect_text() { if [ -f "$1" ] && grep -qF -- "$2" "$1"; then ok "$(basename "$1") có \"$2\""; else fail "$1 không có \"$2\""; fi; }
expect_no_text() { if [ -f "$1" ] && ! grep -qF -- "$2" "$1"; then ok "$(basename "$1") không có \"$2\""; else fail "$1 có \"$2\" (hoặc không có tệp)"; fi; }
expect_file() { if [ -s "$1" ]; then ok "có tệp ${1#"$base"/}"; else fail "thiếu tệp $1"; fi; }
expect_rc() { if [ "$1" = "$2" ]; then ok "$3: mã thoát $1"; else fail "$3: mã thoát $1, cần $2"; fi; }

if [ -n "${HOCTAP_ZIP:-}" ]; then
  zip=$(realpath "$HOCTAP_ZIP")
else
  echo "== Tạo gói (npm run package:windows) =="
  zip=$(node scripts/package-windows.ts | tail -n 1)
  echo "  $zip ($(elapsed))"
fi
name=$(basename "$zip" .zip)

base=$(mktemp -d /tmp/hoctap-wine-XXXXXX)
trap 'WINEPREFIX="$WINEPREFIX" "$WINESERVER" -k >/dev/null 2>&1 || true; rm -rf "$base"' EXIT
here="$base/Thư mục thử"
mkdir -p "$here"
unzip -q "$zip" -d "$here"
pkg="$here/$name"
out="$base/out"
mkdir -p "$out"
[ -f "$pkg/hoctap.cmd" ] && [ -f "$pkg/HUONG-DAN.txt" ] && [ -f "$pkg/node/node.exe" ] || { echo "LỖI: gói thiếu hoctap.cmd, HUONG-DAN.txt hoặc node/node.exe" >&2; exit 1; }

# A Wine prefix of its own (never ~/.wine), kept between local runs: wineboot takes a while the first time.
export WINEPREFIX=${HOCTAP_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/hoctap-wineprefix}
export WINEDEBUG=-all
if [ ! -f "$WINEPREFIX/.hoctap-ready" ]; then
  echo "== Khởi tạo Wine ($WINEPREFIX) =="
  t=$SECONDS
  mkdir -p "$WINEPREFIX"
  "$WINE" wineboot -i >"$out/wineboot.log" 2>&1
  # Node refuses Wine's default Windows version (7); an analyst's machine is Windows 10 or 11.
  "$WINE" winecfg /v win10 >>"$out/wineboot.log" 2>&1
  touch "$WINEPREFIX/.hoctap-ready"
  echo "  wineboot: $((SECONDS - t)) s"
fi

# hoctap NAME ARGS...: runs `hoctap.cmd ARGS` in the package folder; output in $out/NAME.out and NAME.err, exit code in $rc.
hoctap() {
  local label=$1
  shift
  set +e
  (cd "$pkg" && "$WINE" cmd /c hoctap.cmd "$@" >"$out/$label.out" 2>"$out/$label.err")
  rc=$?
  set -e
}

echo "== catalog ($(elapsed)) =="
hoctap catalog catalog --format json
expect_rc "$rc" 0 "hoctap.cmd catalog"
expect_text "$out/catalog.out" '"catalogVersion"'
expect_text "$out/catalog.out" 'Những lợi ích to lớn của việc xây dựng thành phố học tập'
expect_no_text "$out/catalog.err" 'ExperimentalWarning'

echo "== trợ giúp và lỗi gõ lệnh ($(elapsed)) =="
hoctap help --help
expect_rc "$rc" 0 "hoctap.cmd --help"
expect_text "$out/help.out" 'Cách dùng: .\hoctap.cmd [tùy-chọn] [lệnh]'
expect_text "$out/help.out" '.\hoctap.cmd demo'
expect_no_text "$out/help.out" 'Usage'
hoctap typo catalg
expect_rc "$rc" 2 "hoctap.cmd catalg"
expect_text "$out/typo.err" 'Có phải ý bạn là catalog?'
hoctap year catalog --year 1999
expect_rc "$rc" 2 "hoctap.cmd catalog --year 1999"
expect_text "$out/year.err" 'năm báo cáo phải từ 2020 đến 2100'

echo "== demo, không có trình duyệt ($(elapsed)) =="
hoctap demo demo
expect_rc "$rc" 0 "hoctap.cmd demo"
demo="$pkg/hoctap-demo"
expect_text "$out/demo.out" 'Bước 8/8'
expect_text "$out/demo.out" '.\hoctap.cmd -w hoctap-demo history --unit Q10 --year 2024'
expect_file "$demo/hoctap.sqlite"
expect_file "$demo/templates/2024/2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx"
expect_file "$demo/reports/2024/bao-cao-2024.xlsx"
expect_text "$demo/reports/2024/bao-cao-2024.html" 'Thành phố Hồ Chí Minh'
expect_text "$demo/reports/2024/bao-cao-2024.html" 'Kết quả thực hiện xây dựng thành phố học tập năm 2024'
expect_text "$out/demo.err" 'Không tìm thấy trình duyệt để tạo PDF'
expect_no_text "$out/demo.err" 'ExperimentalWarning'
expect_no_text "$out/demo.err" 'Lỗi không mong đợi'
hoctap demo-again demo
expect_rc "$rc" 2 "hoctap.cmd demo (lần hai)"
expect_text "$out/demo-again.err" '.\hoctap.cmd demo --force'

echo "== init và ingest từ thư mục khác, tên tệp tiếng Việt ($(elapsed)) =="
inbox="$here/Biểu mẫu nhận về"
mkdir -p "$inbox"
cp fixtures/2024/dot-1/2024_Q1_Uy-ban-nhan-dan-Quan-1.xlsx "$inbox/Quận 1 - báo cáo 2024.xlsx"
cp fixtures/2024/dot-1/2023_Q5_Uy-ban-nhan-dan-Quan-5.xlsx "$inbox/Quận 5 (gửi nhầm).xlsx"
cp fixtures/2024/dot-1/2024_SKHCN_xuat-tu-he-thong.csv "$inbox/Sở KH&CN.csv"
hoctap init init '..\Làm việc 2024'
expect_rc "$rc" 0 "hoctap.cmd init"
expect_file "$here/Làm việc 2024/hoctap.config.json"
hoctap ingest -w '..\Làm việc 2024' ingest '..\Biểu mẫu nhận về' --year 2024 --received-at 2024-12-06 --format json
expect_rc "$rc" 1 "hoctap.cmd ingest (một tệp bị từ chối)"
expect_text "$out/ingest.out" '"file": "Quận 1 - báo cáo 2024.xlsx"'
expect_text "$out/ingest.out" '"file": "Sở KH&CN.csv"'
expect_text "$out/ingest.out" '"status": "rejected"'
expect_text "$out/ingest.out" 'biểu mẫu của năm 2023, không phải năm 2024'
accepted=$(grep -c '"status": "accepted"' "$out/ingest.out" || true)
if [ "$accepted" = 2 ]; then ok "2 tệp được nhận"; else fail "$accepted tệp được nhận, cần 2"; fi
expect_no_text "$out/ingest.err" 'ExperimentalWarning'
if ls "$here/Làm việc 2024/feedback/"*/*.kiem-tra.xlsx >/dev/null 2>&1; then ok "có bản kiểm tra (.kiem-tra.xlsx)"; else fail "không có bản kiểm tra trong $here/Làm việc 2024/feedback"; fi
hoctap status -w '..\Làm việc 2024' status --year 2024 --format json
expect_rc "$rc" 0 "hoctap.cmd status"
expect_text "$out/status.out" '"unitCode": "Q1"'

echo "== Phụ lục III riêng, dàn trang không cần trình duyệt ($(elapsed)) =="
# annexSeparateAbove below the workspace's units: Phụ lục III is a document of its own, its PDF typeset by hoctap.
node -e 'const f=process.argv[1]; const fs=require("fs"); const c=JSON.parse(fs.readFileSync(f,"utf8")); c.annexSeparateAbove=1; fs.writeFileSync(f, JSON.stringify(c, null, 2))' "$here/Làm việc 2024/hoctap.config.json"
hoctap annex -w '..\Làm việc 2024' report --year 2024 --format pdf
expect_rc "$rc" 1 "hoctap.cmd report --format pdf (không có trình duyệt cho báo cáo chính)"
annex="$here/Làm việc 2024/reports/2024/bao-cao-2024-phu-luc-III.pdf"
expect_file "$annex"
pdftotext "$annex" "$out/annex.txt" 2>/dev/null || fail "pdftotext không đọc được $annex"
expect_text "$out/annex.txt" 'NỘI DUNG BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM 2024'
expect_text "$out/annex.txt" 'Ủy ban nhân dân Quận 1'
expect_text "$out/annex.err" 'Không tìm thấy trình duyệt để tạo PDF'
expect_no_text "$out/annex.err" 'Lỗi không mong đợi'

echo "== $(elapsed) =="
if [ "$failures" -gt 0 ]; then
  echo "Gói Windows: $failures kiểm tra thất bại (đầu ra của hoctap: $out)." >&2
  trap 'WINEPREFIX="$WINEPREFIX" "$WINESERVER" -k >/dev/null 2>&1 || true' EXIT
  exit 1
fi
echo "Gói Windows: mọi kiểm tra đều đạt ($name, chạy dưới Wine từ \"$pkg\")."
