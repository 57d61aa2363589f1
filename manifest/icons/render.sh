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
echo "rendered: $(ls ./*.png | tr '\n' ' ')"
