import { createMicroApp } from '@portal/ui';
import App from './App.vue';
import { cardMessages } from './messages';
import { createCardRouter } from './router';

// The stylesheet sits beside this module in the deployed version folder.
export const { bootstrap, mount, unmount } = createMicroApp({
  name: 'card',
  root: App,
  createRouter: createCardRouter,
  messages: cardMessages,
  stylesheet: new URL('./card.css', import.meta.url).href,
});
