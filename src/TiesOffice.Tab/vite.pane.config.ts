import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The Outlook sender pane: a second entry (pane.html), built on its own into dist-pane/ and served by the hosts
// under /pane/ (so it loads none of the tab's views or charts). Beside its bundle the build puts:
// - index.html (pane.html renamed: the page the manifest's /pane/ URL names);
// - office/: Office.js from @microsoft/office-js (the loader and the Outlook files it loads, without the debug
//   builds and the other Office apps' files), which pane.html loads from its <head>;
// - ribbon-*.png: the ribbon and mobile button icons the manifest names, from manifest/icons.
const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, 'dist-pane');
const officeDist = resolve(here, 'node_modules', '@microsoft', 'office-js', 'dist');
const icons = resolve(here, '..', '..', 'manifest', 'icons');

/** Office.js files the pane needs: office.js, the Outlook host files, and every folder's non-debug scripts and images. */
export function isOfficeFileNeeded(path: string): boolean {
  const name = path.split('/').pop() ?? '';
  if (/\.debug\.js$|\.d\.ts$|vsdoc/i.test(name)) return false;
  if (!path.includes('/')) return name === 'office.js' || name === 'o15apptofilemappingtable.js' || /^outlook.*\.js$/.test(name);
  return true;
}

function copyFiltered(from: string, to: string, root = from): void {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const rel = relative(root, source).split('\\').join('/');
    if (statSync(source).isDirectory()) copyFiltered(source, to, root);
    else if (isOfficeFileNeeded(rel)) {
      mkdirSync(dirname(join(to, rel)), { recursive: true });
      cpSync(source, join(to, rel));
    }
  }
}

function paneFiles(): Plugin {
  return {
    name: 'tiesoffice-pane-files',
    apply: 'build',
    closeBundle() {
      renameSync(join(outDir, 'pane.html'), join(outDir, 'index.html'));
      if (!existsSync(join(officeDist, 'office.js'))) throw new Error(`${officeDist}/office.js is missing: npm ci first`);
      copyFiltered(officeDist, join(outDir, 'office'));
      for (const icon of readdirSync(icons).filter((f) => /^ribbon-.*\.png$/.test(f))) cpSync(join(icons, icon), join(outDir, icon));
    },
  };
}

export default defineConfig({
  base: '/pane/',
  plugins: [react(), paneFiles()],
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: resolve(here, 'pane.html') },
  },
});
