#!/usr/bin/env bash
# Vendor the front-end packages (frontend/package-lock.json) into src/weibao/static/vendor.
# The copied files are committed, so running weibao needs no npm and no CDN.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
npm ci --no-audit --no-fund
out=../src/weibao/static/vendor
rm -rf "$out" && mkdir -p "$out"/{tabler/css,tabler/js,tabler-icons/fonts,htmx,alpine,signature_pad,echarts,fonts/noto-sans-sc}
cp node_modules/@tabler/core/dist/css/tabler.min.css "$out/tabler/css/"
cp node_modules/@tabler/core/dist/js/tabler.min.js "$out/tabler/js/"
cp node_modules/@tabler/icons-webfont/dist/tabler-icons.min.css "$out/tabler-icons/"
cp node_modules/@tabler/icons-webfont/dist/fonts/tabler-icons.woff2 "$out/tabler-icons/fonts/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/@alpinejs/csp/dist/cdn.min.js "$out/alpine/alpine-csp.min.js"
cp node_modules/signature_pad/dist/signature_pad.umd.min.js "$out/signature_pad/"
# Charts on the report pages (RPT-07); documents get SVG charts drawn on the server.
cp node_modules/echarts/dist/echarts.min.js "$out/echarts/"
# The CJK font the PDFs are typeset with (TKT-06), whole and unmodified (Google Fonts' static
# Noto Sans SC, every CJK ideograph of Unicode's basic block and Extension A): weibao embeds it,
# so a signed document looks the same on every server, with or without fonts-noto-cjk.
fonts=node_modules/@expo-google-fonts/noto-sans-sc
cp "$fonts/400Regular/NotoSansSC_400Regular.ttf" "$fonts/700Bold/NotoSansSC_700Bold.ttf" \
   "$out/fonts/noto-sans-sc/"
cp "$fonts/LICENSE_FONT" "$out/fonts/noto-sans-sc/OFL.txt"
for pkg in @tabler/core @tabler/icons-webfont htmx.org @alpinejs/csp signature_pad echarts \
           @expo-google-fonts/noto-sans-sc; do
  node -e "const p=require('./node_modules/$pkg/package.json');console.log(p.name+' '+p.version+' '+(p.license||''))"
done > "$out/VERSIONS.txt"
echo "  fonts/noto-sans-sc: Noto Sans SC (Google Fonts), SIL Open Font License 1.1 (OFL.txt)" \
  >> "$out/VERSIONS.txt"
cat "$out/VERSIONS.txt"
