import { createMicroApp } from '@portal/ui';
import App from './App.vue';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import { createEnrollmentRouter } from './router';

// The stylesheet sits beside this module in the deployed version folder.
export const { bootstrap, mount, unmount } = createMicroApp({
  name: 'enrollment',
  root: App,
  createRouter: createEnrollmentRouter,
  messages: { 'zh-CN': zhCN, en },
  stylesheet: new URL('./enrollment.css', import.meta.url).href,
});
