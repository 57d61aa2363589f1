#!/usr/bin/env bash
# Renders the icon sources (src/*.svg) to the PNGs the app package and the Outlook ribbon use.
# Needs rsvg-convert (Debian: apt-get install librsvg2-bin). The PNGs are committed, so packaging and the tests
# do not need it; run this only after changing an SVG, then run the manifest tests (npm test in manifest/).
set -euo pipefail
cd "$(dirname "$0")"
command -v rsvg-convert >/dev/null || { echo "rsvg-convert is missing: apt-get install librsvg2-bin" >&2; exit 1; }
rsvg-convert -w 192 -h 192 src/color.svg -o color.png
rsvg-convert -w 32 -h 32 src/outline.svg -o outline.png
rsvg-convert -w 32 -h 32 src/color32.svg -o color32.png
# Outlook ribbon button icons (the add-in's ribbon control asks for 16, 32 and 80 pixel images by URL).
for size in 16 32 80; do
  rsvg-convert -w "$size" -h "$size" src/color32.svg -o "ribbon-$size.png"
done
# Outlook mobile's button asks for 25, 32 and 48 point images at scales 1, 2 and 3 (pixels = points x scale).
for size in 25 32 48; do
  for scale in 1 2 3; do
    suffix=""; [ "$scale" -eq 1 ] || suffix="@${scale}x"
    [ "$size$suffix" = "32" ] && continue   # ribbon-32.png is the desktop one above, the same image
    rsvg-convert -w $((size * scale)) -h $((size * scale)) src/color32.svg -o "ribbon-$size$suffix.png"
  done
done
echo "rendered: $(ls ./*.png | tr '\n' ' ')"
