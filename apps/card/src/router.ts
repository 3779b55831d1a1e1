import { createRouter, createWebHistory } from 'vue-router';

/**
 * The card app's pages, under the base path the shell gives it (/card, or
 * /assist/<authorization>/card). The router has the same empty base as the
 * shell's and spells the base out in each path: both routers write the same
 * browser history, and vue-router keeps each entry's path in history.state,
 * so with different bases each misread the other's entries (Back after
 * leaving /card/contributions through the header landed on /contributions).
 */
export function createCardRouter(basePath: string) {
  const at = (path: string) => `${basePath}${path}`;
  return createRouter({
    history: createWebHistory(),
    routes: [
      { path: basePath, name: 'card', component: () => import('./pages/ECardPage.vue') },
      { path: at('/contributions'), name: 'contributions', component: () => import('./pages/ContributionsPage.vue') },
      { path: at('/benefits'), name: 'benefits', component: () => import('./pages/BenefitsPage.vue') },
      { path: at('/replacement'), name: 'replacement', component: () => import('./pages/ReplacementPage.vue') },
      { path: at('/office'), name: 'office', component: () => import('./pages/CardOfficePage.vue') },
      { path: '/:path(.*)*', name: 'missing', component: () => import('./pages/MissingPage.vue') },
    ],
  });
}
