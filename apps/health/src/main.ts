import { createMicroApp } from '@portal/ui';
import App from './App.vue';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import { createHealthRouter } from './router';

// The stylesheet sits beside this module in the deployed version folder.
export const { bootstrap, mount, unmount } = createMicroApp({
  name: 'health',
  root: App,
  createRouter: createHealthRouter,
  messages: { 'zh-CN': zhCN, en },
  stylesheet: new URL('./health.css', import.meta.url).href,
});
