import { createRouter, createWebHistory } from 'vue-router';

/**
 * The health app's pages, under the base path the shell gives it (/health,
 * or /assist/<authorization>/health). As in the card app, the router has the
 * same empty base as the shell's and spells the base out in each path: both
 * routers write the same browser history, and vue-router keeps each entry's
 * path in history.state, so with different bases each would misread the
 * other's entries. The record shown (a resident's own, or a minor child's)
 * is the ?person= query, so a reload keeps it.
 */
export function createHealthRouter(basePath: string) {
  const at = (path: string) => `${basePath}${path}`;
  return createRouter({
    history: createWebHistory(),
    routes: [
      { path: basePath, name: 'overview', component: () => import('./pages/OverviewPage.vue') },
      { path: at('/timeline'), name: 'timeline', component: () => import('./pages/TimelinePage.vue') },
      { path: at('/timeline/:encounterId'), name: 'encounter', component: () => import('./pages/EncounterPage.vue') },
      { path: at('/immunizations'), name: 'immunizations', component: () => import('./pages/ImmunizationsPage.vue') },
      { path: at('/exams'), name: 'exams', component: () => import('./pages/ExamsPage.vue') },
      { path: at('/follow-ups'), name: 'followUps', component: () => import('./pages/FollowUpsPage.vue') },
      { path: '/:path(.*)*', name: 'missing', component: () => import('./pages/MissingPage.vue') },
    ],
  });
}
