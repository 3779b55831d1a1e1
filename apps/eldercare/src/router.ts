import { createRouter, createWebHistory } from 'vue-router';

/**
 * The elderly care app's pages, under the base path the shell gives it
 * (/eldercare, or /assist/<authorization>/eldercare). As in the other apps,
 * the router keeps the shell's empty base and spells the base out in each
 * path, so both routers read the one browser history alike. Whose care is
 * on screen (a parent's, when a family member acts under a delegation) is
 * the ?for=<delegation> query, so a reload keeps it.
 */
export function createEldercareRouter(basePath: string) {
  const at = (path: string) => `${basePath}${path}`;
  return createRouter({
    history: createWebHistory(),
    routes: [
      { path: basePath, name: 'profile', component: () => import('./pages/ProfilePage.vue') },
      { path: at('/profile/edit'), name: 'profileEdit', component: () => import('./pages/ProfileEditPage.vue') },
      { path: at('/services'), name: 'services', component: () => import('./pages/ServicesPage.vue') },
      { path: at('/services/:itemId'), name: 'book', component: () => import('./pages/BookPage.vue') },
      { path: at('/orders'), name: 'orders', component: () => import('./pages/OrdersPage.vue') },
      { path: at('/family'), name: 'family', component: () => import('./pages/FamilyPage.vue') },
      { path: at('/assessments'), name: 'assessments', component: () => import('./pages/AssessorQueuePage.vue') },
      {
        path: at('/assessments/:requestId'),
        name: 'assessment',
        component: () => import('./pages/AssessmentPage.vue'),
      },
      { path: at('/provider'), name: 'provider', component: () => import('./pages/ProviderPage.vue') },
      { path: '/:path(.*)*', name: 'missing', component: () => import('./pages/MissingPage.vue') },
    ],
  });
}
