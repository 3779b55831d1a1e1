import { createRouter, createWebHistory } from 'vue-router';

/**
 * The enrollment app's pages, under the base path the shell gives it
 * (/enrollment, or /assist/<authorization>/enrollment). As in the card and
 * health apps, the router has the same empty base as the shell's and spells
 * the base out in each path: both routers write the same browser history,
 * and vue-router keeps each entry's path in history.state, so with different
 * bases each would misread the other's entries. The step of a draft is the
 * ?step= query, so a reload stays on it.
 */
export function createEnrollmentRouter(basePath: string) {
  const at = (path: string) => `${basePath}${path}`;
  return createRouter({
    history: createWebHistory(),
    routes: [
      { path: basePath, name: 'overview', component: () => import('./pages/OverviewPage.vue') },
      {
        path: at('/applications/:applicationId'),
        name: 'application',
        component: () => import('./pages/ApplicationPage.vue'),
      },
      { path: at('/review'), name: 'queue', component: () => import('./pages/ReviewQueuePage.vue') },
      {
        path: at('/review/:applicationId'),
        name: 'review',
        component: () => import('./pages/ReviewApplicationPage.vue'),
      },
      { path: at('/allocation'), name: 'allocation', component: () => import('./pages/AllocationPage.vue') },
      { path: '/:path(.*)*', name: 'missing', component: () => import('./pages/MissingPage.vue') },
    ],
  });
}
