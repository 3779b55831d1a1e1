import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.js';
import { chinaTimeOn } from '../../china-time.js';

export interface ScheduledItem {
  id: string;
  startHours: number[];
  slotCapacity: number;
  durationMinutes: number;
}

/** The slots an item's regular schedule gives from day `fromDay` to day `toDay` after `now` (China dates). */
export function scheduledSlots(
  item: ScheduledItem,
  now: Date,
  fromDay: number,
  toDay: number,
  makeId: () => string = randomUUID,
): Prisma.CareSlotCreateManyInput[] {
  const slots: Prisma.CareSlotCreateManyInput[] = [];
  for (let day = fromDay; day <= toDay; day += 1) {
    for (const hour of item.startHours) {
      const startsAt = chinaTimeOn(now, day, hour);
      slots.push({
        id: makeId(),
        itemId: item.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + item.durationMinutes * 60_000),
        capacity: item.slotCapacity,
      });
    }
  }
  return slots;
}

/**
 * Publishes the providers' regular schedules as bookable slots up to `days`
 * ahead. Slots already there (unique on item and start) are left as they are,
 * with their bookings, so concurrent calls agree.
 */
export async function publishScheduledSlots(
  db: Pick<Prisma.TransactionClient, 'careSlot'>,
  items: ScheduledItem[],
  now: Date,
  days: number,
): Promise<void> {
  const slots = items.flatMap((item) => scheduledSlots(item, now, 0, days));
  if (slots.length) await db.careSlot.createMany({ data: slots, skipDuplicates: true });
}
