import { createMicroApp } from '@portal/ui';
import App from './App.vue';
import { healthMessages } from './messages';
import { createHealthRouter } from './router';

// The stylesheet sits beside this module in the deployed version folder.
export const { bootstrap, mount, unmount } = createMicroApp({
  name: 'health',
  root: App,
  createRouter: createHealthRouter,
  messages: healthMessages,
  stylesheet: new URL('./health.css', import.meta.url).href,
});
