import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Served by the hosts under /tab/; every asset path is relative to that base.
export default defineConfig({
  base: '/tab/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    testTimeout: 180000,
  },
});
