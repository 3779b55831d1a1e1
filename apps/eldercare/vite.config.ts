import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { SHARED_LIBRARIES } from '../../scripts/shared-libraries.ts';

/**
 * The home-based elderly care micro-app (居家养老): one ES module exporting single-spa lifecycles, plus its
 * stylesheet and lazily loaded chunks. Shared libraries stay bare imports for
 * the import map. `npm run deploy:app -- eldercare` publishes a build under its own
 * version folder and points the import map at it.
 */
export default defineConfig({
  plugins: [vue()],
  define: {
    __ELDERCARE_BUILD_LABEL__: JSON.stringify(process.env.PORTAL_BUILD_LABEL ?? pkg.version),
  },
  build: {
    lib: { entry: 'src/main.ts', formats: ['es'], fileName: () => 'eldercare.js', cssFileName: 'eldercare' },
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    rollupOptions: { external: Object.keys(SHARED_LIBRARIES) },
  },
});
