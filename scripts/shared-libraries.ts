/**
 * The libraries the shell and every micro-app share through the import map:
 * each is fetched once per page. Keys are import specifiers; values say
 * which file of the installed package (or which workspace build) is served.
 */
export const SHARED_LIBRARIES = {
  vue: { package: 'vue', file: 'dist/vue.runtime.esm-browser.prod.js' },
  'vue-router': { package: 'vue-router', file: 'dist/vue-router.esm-browser.prod.js' },
  pinia: { package: 'pinia', file: 'dist/pinia.esm-browser.prod.js' },
  'vue-i18n': { package: 'vue-i18n', file: 'dist/vue-i18n.esm-browser.prod.js' },
  'single-spa': { package: 'single-spa', file: 'lib/es2015/esm/single-spa.min.js' },
  'single-spa-vue': { package: 'single-spa-vue', file: 'dist/esm/single-spa-vue.js' },
  '@portal/api-client': { workspace: 'packages/api-client', file: 'dist/api-client.js' },
  '@portal/ui': { workspace: 'packages/ui', file: 'dist/ui.js', extraFiles: ['dist/ui.css'] },
} as const satisfies Record<
  string,
  { package: string; file: string } | { workspace: string; file: string; extraFiles?: readonly string[] }
>;
