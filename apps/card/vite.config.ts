import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { appTexts } from '../../scripts/app-texts.ts';
import { SHARED_LIBRARIES } from '../../scripts/shared-libraries.ts';

/**
 * The card micro-app: one ES module exporting single-spa lifecycles, plus its
 * stylesheet and lazily loaded chunks. Shared libraries stay bare imports for
 * the import map. `npm run deploy:app card` publishes a build under its own
 * version folder and points the import map at it. The texts the shell shows
 * for this app (the `shell` section of src/locales/*.json) are left out of the
 * bundle and written beside it as texts/<locale>.json (scripts/app-texts.ts).
 */
export default defineConfig({
  plugins: [vue(), appTexts('card')],
  define: {
    __CARD_BUILD_LABEL__: JSON.stringify(process.env.PORTAL_BUILD_LABEL ?? pkg.version),
  },
  build: {
    lib: { entry: 'src/main.ts', formats: ['es'], fileName: () => 'card.js', cssFileName: 'card' },
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    rollupOptions: { external: Object.keys(SHARED_LIBRARIES) },
  },
});
