// The built bundle's size: initial JavaScript (the entry and what it imports statically, what the browser must load
// before the first view) and total, raw and gzip. Reads Vite's manifest; run after `npm run build`.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = resolve(fileURLToPath(new URL('..', import.meta.url)), 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const size = (file) => {
  const bytes = readFileSync(join(dist, file));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
};
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
visit(Object.keys(manifest).find((key) => manifest[key] === entry));

// What the first view needs on top: the overview and its chart, loaded on demand right after the entry.
const firstView = new Set(initial);
const visitInto = (set, key) => {
  const chunk = manifest[key];
  if (!chunk || set.has(chunk.file)) return;
  set.add(chunk.file);
  for (const imported of chunk.imports ?? []) visitInto(set, imported);
};
visitInto(firstView, 'src/views/Overview.tsx');
visitInto(firstView, 'src/components/NetworkChart.tsx');

const js = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
let initialSize = { raw: 0, gzip: 0 };
for (const file of initial) initialSize = add(initialSize, size(file));
let total = { raw: 0, gzip: 0 };
for (const file of js) total = add(total, size(file));

console.log(`initial JS: ${kb(initialSize.raw)} raw, ${kb(initialSize.gzip)} gzip (${initial.size} files: ${[...initial].join(', ')})`);
let firstViewSize = { raw: 0, gzip: 0 };
for (const file of firstView) firstViewSize = add(firstViewSize, size(file));
console.log(`overview JS: ${kb(firstViewSize.raw)} raw, ${kb(firstViewSize.gzip)} gzip (entry plus the overview and its chart, ${firstView.size} files)`);
console.log(`total JS:   ${kb(total.raw)} raw, ${kb(total.gzip)} gzip (${js.length} files)`);
console.log(`goal: initial JS under 300 KB gzip: ${initialSize.gzip < 300 * 1024 ? 'met' : 'NOT met'}`);
