import { createRouter, createWebHistory } from 'vue-router';
import { shellPinia } from './pinia';
import { useSessionStore } from './stores/session';
import { staffHome } from './staff-workspaces';

/**
 * The shell's own pages. Paths that belong to a micro-app match the catch-all
 * and render nothing here: the app's own router owns them. The shell never
 * redirects away from an app path it does not know, so the two never fight.
 */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { public: true } },
    { path: '/', name: 'home', component: () => import('./pages/HomePage.vue'), meta: { who: 'RESIDENT' } },
    {
      path: '/access-log',
      name: 'access-log',
      component: () => import('./pages/AccessLogPage.vue'),
      meta: { who: 'RESIDENT' },
    },
    {
      path: '/messages',
      name: 'messages',
      component: () => import('./pages/MessagesPage.vue'),
      meta: { who: 'RESIDENT' },
    },
    {
      path: '/staff',
      name: 'staff',
      component: () => import('./pages/StaffWorkspacePage.vue'),
      meta: { who: 'COUNTER' },
    },
    { path: '/:path(.*)*', name: 'app-or-missing', component: () => import('./pages/MicroAppPage.vue') },
  ],
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  const session = useSessionStore(shellPinia);
  if (!session.loaded) await session.load();
  if (to.meta.public) {
    if (session.me && to.name === 'sign-in') return session.me.kind === 'RESIDENT' ? '/' : staffHome(session.me.role);
    return true;
  }
  if (!session.me) return { name: 'sign-in', query: { next: to.fullPath } };
  if (to.name === 'home' && session.me.kind === 'STAFF') return staffHome(session.me.role);
  if (to.meta.who === 'RESIDENT' && session.me.kind !== 'RESIDENT')
    return staffHome(session.me.kind === 'STAFF' ? session.me.role : 'COUNTER');
  if (to.meta.who === 'COUNTER' && !session.isCounterStaff) return '/';
  return true;
});
