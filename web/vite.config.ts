import { defineConfig } from 'vite';

// The web UI: built into dist/web and served by Vigil's HTTP server (API under /api). No CDN, no network.
export default defineConfig({
  root: __dirname,
  base: './',
  esbuild: { jsx: 'automatic' },
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
