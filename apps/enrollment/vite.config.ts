import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { appTexts } from '../../scripts/app-texts.ts';
import { SHARED_LIBRARIES } from '../../scripts/shared-libraries.ts';

/**
 * The school-enrollment micro-app: one ES module exporting single-spa
 * lifecycles, plus its stylesheet and lazily loaded chunks. Shared libraries
 * stay bare imports for the import map. `npm run deploy:app -- enrollment`
 * publishes a build under its own version folder and points the import map at it.
 */
export default defineConfig({
  plugins: [vue(), appTexts('enrollment')],
  define: {
    __ENROLLMENT_BUILD_LABEL__: JSON.stringify(process.env.PORTAL_BUILD_LABEL ?? pkg.version),
  },
  build: {
    lib: { entry: 'src/main.ts', formats: ['es'], fileName: () => 'enrollment.js', cssFileName: 'enrollment' },
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    rollupOptions: { external: Object.keys(SHARED_LIBRARIES) },
  },
});
