import { SESSION_EXPIRED_EVENT } from '@portal/api-client';
import { createPortalI18n } from '@portal/ui';
import { createApp } from 'vue';
import App from './App.vue';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import { shellPinia } from './pinia';
import { router } from './router';
import { startMicroApps } from './single-spa-setup';
import { useInboxStore } from './stores/inbox';
import { useSessionStore } from './stores/session';

const app = createApp(App);
app.use(shellPinia);
app.use(router);
app.use(createPortalI18n({ 'zh-CN': zhCN, en }));
app.mount('#shell');
useInboxStore(shellPinia).connect(router);

window.addEventListener(SESSION_EXPIRED_EVENT, () => {
  useSessionStore(shellPinia).markExpired();
  if (router.currentRoute.value.name !== 'sign-in') {
    void router.push({ name: 'sign-in', query: { next: router.currentRoute.value.fullPath } });
  }
});

// Micro-apps start once the shell has decided where the first URL leads (it may be the sign-in page).
void router.isReady().then(startMicroApps);
