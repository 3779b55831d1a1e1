import { createMicroApp } from '@portal/ui';
import App from './App.vue';
import { eldercareMessages } from './messages';
import { createEldercareRouter } from './router';

// The stylesheet sits beside this module in the deployed version folder.
export const { bootstrap, mount, unmount } = createMicroApp({
  name: 'eldercare',
  root: App,
  createRouter: createEldercareRouter,
  messages: eldercareMessages,
  stylesheet: new URL('./eldercare.css', import.meta.url).href,
});
