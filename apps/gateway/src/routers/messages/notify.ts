import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.js';

/** Values a message's text is filled with in the browser (names of places, dates); never personal identifiers. */
export type MessageParams = Record<string, string | number>;

export interface Notice {
  residentId: string;
  /** The text's key, e.g. "card.replacement.READY_FOR_PICKUP"; the browser translates it. */
  topic: string;
  params?: MessageParams;
  /** The portal page the message is about, e.g. "/card". */
  link?: string;
}

/**
 * Tells a resident that something changed for them, in the same transaction
 * as the change itself: a change is never without its message, nor a
 * message without its change. Any service calls this.
 */
export async function notifyResident(
  tx: Pick<Prisma.TransactionClient, 'message'>,
  notice: Notice,
  now: Date,
): Promise<void> {
  await tx.message.create({
    data: {
      id: randomUUID(),
      residentId: notice.residentId,
      topic: notice.topic,
      params: notice.params ?? {},
      link: notice.link ?? null,
      createdAt: now,
    },
  });
}

/**
 * The same for many residents at once (an allocation run tells thousands of
 * families in one transaction): one insert instead of one per message.
 */
export async function notifyResidents(
  tx: Pick<Prisma.TransactionClient, 'message'>,
  notices: Notice[],
  now: Date,
): Promise<void> {
  if (!notices.length) return;
  await tx.message.createMany({
    data: notices.map((notice) => ({
      id: randomUUID(),
      residentId: notice.residentId,
      topic: notice.topic,
      params: notice.params ?? {},
      link: notice.link ?? null,
      createdAt: now,
    })),
  });
}
