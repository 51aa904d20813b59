/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const fonts = fileURLToPath(new URL('./node_modules/@kern-ux/native/dist/fonts', import.meta.url));

// Preloads the two font files every page needs, so text renders in its final font
// from the first paint (no flash, no layout shift). The links are plain <link>
// elements: nothing inline, as the Content-Security-Policy forbids inline code.
function preloadFonts(): Plugin {
  return {
    name: 'kollab-preload-fonts',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const files = Object.keys(ctx.bundle ?? {}).filter((f) => /FiraSans-(Regular|SemiBold)-[\w-]+\.woff2$/.test(f));
        return files.map((f) => ({
          tag: 'link',
          attrs: { rel: 'preload', href: `/${f}`, as: 'font', type: 'font/woff2', crossorigin: '' },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), preloadFonts()],
  resolve: { alias: { '@kern-fonts': fonts } },
  build: {
    outDir: 'dist',
    // dist/.gitkeep belongs to the Go side: scripts/clean-dist.mjs empties the rest.
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': { target: process.env.KOLLAB_DEV_API ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    css: false,
    // The tests assert behaviour, not speed: vitest's 5 s default is wall-clock time, and
    // dialogs typed through with user-event took longer than that on a loaded two-core
    // machine (three timeouts at a load average of 20, none when idle).
    testTimeout: 30_000,
  },
});
