import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The app embeds `ui/dist` (no dev server): develop with `npm run dev` (vite build --watch)
// and restart the app, or reload its window, after each rebuild.
//
// Two pages: `index.html` (the desktop window) and `participant.html` (the room's page,
// served by the room server at `/r/{token}/` to participants' browsers). Asset URLs are
// relative (`base: './'`) so the participant page finds its assets under the room URL and
// the window under its own origin.
export default defineConfig({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  build: {
    target: 'safari15',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // dist/.vite/manifest.json: the room server embeds only the participant entry's files.
    manifest: true,
    rolldownOptions: {
      input: {
        main: 'index.html',
        participant: 'participant.html',
      },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
