import { inject, type InjectionKey } from 'vue';

/** What the shell tells the health app when it mounts it. */
export interface HealthAppContext {
  /** Set in assisted mode: staff act under this authorization. */
  authorizationId: string | null;
  /** Where the app's routes live: /health, or /assist/<authorization>/health. */
  basePath: string;
}

export const HEALTH_APP_CONTEXT: InjectionKey<HealthAppContext> = Symbol('health-app-context');

export function useHealthAppContext(): HealthAppContext {
  const context = inject(HEALTH_APP_CONTEXT);
  if (!context) throw new Error('Health app context missing');
  return context;
}
