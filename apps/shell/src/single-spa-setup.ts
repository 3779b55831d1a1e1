import {
  addErrorHandler,
  getAppStatus,
  registerApplication,
  start,
  triggerAppChange,
  unloadApplication,
} from 'single-spa';
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
  // single-spa loads a failed app again on a later visit to its URL: once it is mounted, it is no longer broken.
  window.addEventListener('single-spa:routing-event', () => {
    for (const name of [...brokenApps.keys()]) if (getAppStatus(name) === 'MOUNTED') brokenApps.delete(name);
  });
  start({ urlRerouteOnly: true });
}

/** Tries a broken app again without reloading the page. */
export async function retryApp(name: string) {
  brokenApps.delete(name);
  const status = getAppStatus(name);
  // Unloading puts the app back to NOT_LOADED, so this reroute fetches it again at once. Left in
  // LOAD_ERROR, single-spa skips it for 200 ms after the failure and a quick press did nothing.
  if (status === 'SKIP_BECAUSE_BROKEN' || status === 'LOAD_ERROR')
    await unloadApplication(name, { waitForUnmount: false }).catch(() => undefined);
  await triggerAppChange();
}
