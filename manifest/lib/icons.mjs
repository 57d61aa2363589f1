// Checks on the package's PNG icons, shared by the tests: sizes, and the outline icon's "white on transparent" rule.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');

/** Decodes a PNG file or buffer to { width, height, data (RGBA, 8 bits per channel) }. */
export function readPng(fileOrBuffer) {
  const bytes = Buffer.isBuffer(fileOrBuffer) ? fileOrBuffer : readFileSync(fileOrBuffer);
  return PNG.sync.read(bytes);
}

/**
 * The pixels that break the outline rule: Teams wants the outline icon white on a transparent background, so a
 * pixel is either fully transparent (any colour) or pure white with any alpha (the anti-aliased edge).
 * Returns the offending pixels (at most `limit`), empty when the icon follows the rule.
 */
export function outlineViolations(png, limit = 5) {
  const found = [];
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b, a] = png.data.subarray(i, i + 4);
      if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
        found.push({ x, y, rgba: [r, g, b, a] });
        if (found.length >= limit) {
          return found;
        }
      }
    }
  }
  return found;
}

/** Counts pixels by alpha: fully transparent, partly transparent, opaque. */
export function alphaCounts(png) {
  const counts = { transparent: 0, partial: 0, opaque: 0 };
  for (let i = 3; i < png.data.length; i += 4) {
    const a = png.data[i];
    if (a === 0) counts.transparent++;
    else if (a === 255) counts.opaque++;
    else counts.partial++;
  }
  return counts;
}
