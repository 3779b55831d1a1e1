import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { SHARED_LIBRARIES } from '../../scripts/shared-libraries.ts';

// The shell is an ordinary Vite app whose shared libraries and micro-apps stay
// bare imports: the import map, written into index.html by the gateway (or the
// deploy step), says where each lives.
export default defineConfig({
  plugins: [vue()],
  base: '/shell/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    manifest: true,
    rollupOptions: {
      external: [...Object.keys(SHARED_LIBRARIES), /^@portal\/app-/],
    },
  },
});
