import { createMicroApp } from '@portal/ui';
import App from './App.vue';
import { enrollmentMessages } from './messages';
import { createEnrollmentRouter } from './router';

// The stylesheet sits beside this module in the deployed version folder.
export const { bootstrap, mount, unmount } = createMicroApp({
  name: 'enrollment',
  root: App,
  createRouter: createEnrollmentRouter,
  messages: enrollmentMessages,
  stylesheet: new URL('./enrollment.css', import.meta.url).href,
});
