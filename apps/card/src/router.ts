import { createRouter, createWebHistory } from 'vue-router';

/** The card app's pages, under the base path the shell gives it. */
export function createCardRouter(basePath: string) {
  return createRouter({
    history: createWebHistory(basePath),
    routes: [
      { path: '/', name: 'card', component: () => import('./pages/ECardPage.vue') },
      { path: '/contributions', name: 'contributions', component: () => import('./pages/ContributionsPage.vue') },
      { path: '/benefits', name: 'benefits', component: () => import('./pages/BenefitsPage.vue') },
      { path: '/replacement', name: 'replacement', component: () => import('./pages/ReplacementPage.vue') },
      { path: '/office', name: 'office', component: () => import('./pages/CardOfficePage.vue') },
      { path: '/:path(.*)*', name: 'missing', component: () => import('./pages/MissingPage.vue') },
    ],
  });
}
