import { addErrorHandler, getAppStatus, registerApplication, start, triggerAppChange, unloadApplication } from 'single-spa';
import { reactive } from 'vue';
import { MICRO_APPS, appForPath, basePathFor, parseAssistPath, type MicroApp } from './micro-apps';

export const MICRO_APP_ROOT_ID = 'micro-app-root';

/** Apps that failed to load or threw, by name: the shell shows a panel with a retry instead. */
export const brokenApps = reactive(new Map<string, string>());

function loadApp(app: MicroApp) {
  // A bare specifier the import map resolves at run time; never bundled into the shell.
  return import(/* @vite-ignore */ app.specifier);
}

export function startMicroApps() {
  for (const app of MICRO_APPS) {
    registerApplication({
      name: app.name,
      app: () => loadApp(app),
      activeWhen: (location) => appForPath(location.pathname)?.name === app.name,
      customProps: (_name, location) => ({
        domElement: document.getElementById(MICRO_APP_ROOT_ID),
        basePath: basePathFor(app, location.pathname),
        authorizationId: parseAssistPath(location.pathname)?.authorizationId ?? null,
      }),
    });
  }
  addErrorHandler((error) => {
    const name = error.appOrParcelName;
    brokenApps.set(name, getAppStatus(name) ?? 'BROKEN');
    console.error(`Micro-app ${name} failed`, error);
  });
  start({ urlRerouteOnly: true });
}

/** Tries a broken app again without reloading the page. */
export async function retryApp(name: string) {
  brokenApps.delete(name);
  const status = getAppStatus(name);
  if (status === 'SKIP_BECAUSE_BROKEN') await unloadApplication(name, { waitForUnmount: false }).catch(() => undefined);
  await triggerAppChange();
}
