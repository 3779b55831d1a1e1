import { createPortalI18n, withStylesheet } from '@portal/ui';
import { createPinia } from 'pinia';
import singleSpaVue from 'single-spa-vue';
import { createApp, h } from 'vue';
import App from './App.vue';
import { HEALTH_APP_CONTEXT } from './context';
import { healthMessages } from './messages';
import { createHealthRouter } from './router';

interface ShellProps {
  basePath: string;
  authorizationId: string | null;
}

const lifecycles = singleSpaVue({
  createApp,
  appOptions: { render: () => h(App) },
  handleInstance(app, props: ShellProps) {
    // A fresh store, router and i18n per mount: nothing of one visit survives into the next.
    // Ids from useId() (labels, panel headings) must not collide with the shell's, which start with the default "v".
    app.config.idPrefix = 'health';
    app.provide(HEALTH_APP_CONTEXT, { authorizationId: props.authorizationId, basePath: props.basePath });
    app.use(createPinia());
    app.use(createHealthRouter(props.basePath));
    app.use(createPortalI18n(healthMessages));
  },
});

// The stylesheet sits beside this module in the deployed version folder.
export const { bootstrap, mount, unmount } = withStylesheet(lifecycles, new URL('./health.css', import.meta.url).href);
