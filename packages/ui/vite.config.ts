import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The UI kit: one ES module and one stylesheet, shared through the import map.
export default defineConfig({
  plugins: [vue()],
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'ui.js', cssFileName: 'ui' },
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { external: ['vue', 'vue-i18n', 'pinia', 'single-spa-vue'] },
  },
});
