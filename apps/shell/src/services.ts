/** Services a resident can authorize at the counter; grows as service apps land. */
export const SERVICES = ['CARD', 'HEALTH', 'ENROLLMENT', 'ELDERCARE'] as const;
export type Service = (typeof SERVICES)[number];
