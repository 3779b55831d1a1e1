import { defineConfig } from 'vite';

// Built once into one ES module; the import map gives every micro-app this same copy.
export default defineConfig({
  build: {
    lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'api-client.js' },
    outDir: 'dist',
    emptyOutDir: true,
    minify: true,
    target: 'es2022',
  },
});
