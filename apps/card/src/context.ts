import { inject, type InjectionKey } from 'vue';

/** What the shell tells the card app when it mounts it. */
export interface CardAppContext {
  /** Set in assisted mode: staff act under this authorization. */
  authorizationId: string | null;
  /** Where the app's router lives: /card, or /assist/<authorization>/card. */
  basePath: string;
}

export const CARD_APP_CONTEXT: InjectionKey<CardAppContext> = Symbol('card-app-context');

export function useCardAppContext(): CardAppContext {
  const context = inject(CARD_APP_CONTEXT);
  if (!context) throw new Error('Card app context missing');
  return context;
}
