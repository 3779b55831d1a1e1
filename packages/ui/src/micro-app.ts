import { createPinia } from 'pinia';
import singleSpaVue from 'single-spa-vue';
import { createApp, h, inject, type Component, type InjectionKey, type Plugin } from 'vue';
import { createPortalI18n } from './i18n.js';
import type { PortalLocale } from './locale.js';
import { withStylesheet } from './stylesheet.js';

/** What the shell tells a micro-app when it mounts it. */
export interface MicroAppContext {
  /** Set in assisted mode: staff act under this authorization. */
  authorizationId: string | null;
  /** Where the app's routes live: /card, or /assist/<authorization>/card. */
  basePath: string;
}

const MICRO_APP_CONTEXT: InjectionKey<MicroAppContext> = Symbol('micro-app-context');

/** The mounting shell's facts, inside any component or store of a micro-app. */
export function useMicroAppContext(): MicroAppContext {
  const context = inject(MICRO_APP_CONTEXT);
  if (!context) throw new Error('Micro-app context missing: mount the app through createMicroApp');
  return context;
}

export interface MicroAppOptions {
  /** Short name, also the prefix of ids from useId() so they never collide with the shell's or another app's. */
  name: string;
  root: Component;
  createRouter: (basePath: string) => Plugin;
  messages: Record<PortalLocale, Record<string, unknown>>;
  /** URL of the app's stylesheet, present exactly while the app is mounted. */
  stylesheet: string;
}

/**
 * The single-spa lifecycles of a Vue micro-app: a fresh Pinia, router and
 * i18n per mount, so nothing of one visit survives into the next.
 */
export function createMicroApp(options: MicroAppOptions) {
  const lifecycles = singleSpaVue({
    createApp,
    appOptions: { render: () => h(options.root) },
    handleInstance(app, props: MicroAppContext) {
      app.config.idPrefix = options.name;
      app.provide(MICRO_APP_CONTEXT, { authorizationId: props.authorizationId, basePath: props.basePath });
      app.use(createPinia());
      app.use(options.createRouter(props.basePath));
      app.use(createPortalI18n(options.messages));
    },
  });
  return withStylesheet(lifecycles, options.stylesheet);
}
