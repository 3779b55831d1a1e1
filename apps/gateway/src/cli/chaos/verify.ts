/**
 * After the chaos run: is every acknowledged write in the database, and do
 * the books still balance? Reads the throw-away cluster directly.
 */
import pg from 'pg';
import { DEMO_DATA_KEY } from '../../config.js';
import { DataProtector } from '../../security/data-protector.js';
import type { Ledger } from './load.js';

export interface Verification {
  /** What was checked: every acknowledged booking and cancellation, and each preference user's last acknowledged elder mode. */
  checked: { bookings: number; cancellations: number; elderModeUsers: number };
  /** One line per acknowledged write the database does not show, with the phase in which it was acknowledged. */
  missing: { phase: string; line: string }[];
  /** Invariants broken by the run (not before it): a subsidy balance that is not its ledger's sum, a slot whose places disagree with its orders. */
  inconsistencies: string[];
}

/** Subsidy accounts whose balance is not the sum of their ledger, and slots whose booked places are not their live orders. */
export async function findInconsistencies(client: pg.Client): Promise<string[]> {
  const balances = await client.query<{ residentId: string; balanceFen: number; ledgerFen: number }>(`
    SELECT a."residentId", a."balanceFen", COALESCE(SUM(l."amountFen"), 0)::int AS "ledgerFen"
    FROM "SubsidyAccount" a LEFT JOIN "SubsidyLedgerEntry" l ON l."residentId" = a."residentId"
    GROUP BY a."residentId", a."balanceFen"
    HAVING a."balanceFen" <> COALESCE(SUM(l."amountFen"), 0)`);
  const slots = await client.query<{ id: string; booked: number; live: number }>(`
    SELECT s.id, s.booked, COUNT(o.id) FILTER (WHERE o.status <> 'CANCELLED')::int AS live
    FROM "CareSlot" s LEFT JOIN "CareOrder" o ON o."slotId" = s.id
    GROUP BY s.id, s.booked
    HAVING s.booked <> COUNT(o.id) FILTER (WHERE o.status <> 'CANCELLED')`);
  return [
    ...balances.rows.map(
      (row) => `subsidy account ${row.residentId}: balance ${row.balanceFen} fen, ledger sum ${row.ledgerFen} fen`,
    ),
    ...slots.rows.map((row) => `care slot ${row.id}: ${row.booked} places booked, ${row.live} live orders`),
  ];
}

export async function verifyAcknowledged(url: string, ledger: Ledger, before: string[]): Promise<Verification> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const missing: Verification['missing'] = [];
    const keys = ledger.bookings.map((booking) => booking.requestKey);
    const orders = await client.query<{ id: string; requestKey: string }>(
      'SELECT id, "requestKey" FROM "CareOrder" WHERE "requestKey" = ANY($1::uuid[])',
      [keys],
    );
    const orderByKey = new Map(orders.rows.map((row) => [row.requestKey, row.id]));
    for (const booking of ledger.bookings) {
      const found = orderByKey.get(booking.requestKey);
      if (found !== booking.orderId) {
        missing.push({
          phase: booking.phase,
          line: `booking ${booking.requestKey} by ${booking.user}: acknowledged as order ${booking.orderId}, database has ${found ?? 'none'}`,
        });
      }
    }

    const cancelledIds = ledger.cancellations.map((cancellation) => cancellation.orderId);
    const statuses = await client.query<{ id: string; status: string }>(
      'SELECT id, status FROM "CareOrder" WHERE id = ANY($1::uuid[])',
      [cancelledIds],
    );
    const statusById = new Map(statuses.rows.map((row) => [row.id, row.status]));
    for (const cancellation of ledger.cancellations) {
      const status = statusById.get(cancellation.orderId);
      if (status !== 'CANCELLED') {
        missing.push({
          phase: cancellation.phase,
          line: `cancellation of order ${cancellation.orderId} by ${cancellation.user}: database says ${status ?? 'no such order'}`,
        });
      }
    }

    const protector = new DataProtector(Buffer.from(DEMO_DATA_KEY, 'base64'));
    let elderMode = 0;
    for (const [user, state] of ledger.elderMode) {
      if (state.lastAcknowledged === null) continue;
      elderMode += 1;
      const { rows } = await client.query<{ prefersElderMode: boolean | null }>(
        'SELECT "prefersElderMode" FROM "Resident" WHERE "idNumberHash" = $1',
        [Buffer.from(protector.lookupHash(state.idNumber, 'idNumber'))],
      );
      const stored = rows[0]?.prefersElderMode ?? null;
      // A later write whose answer was lost may have landed too; anything else is a lost write.
      const allowed = [state.lastAcknowledged, ...(state.unsettled === null ? [] : [state.unsettled])];
      if (!allowed.includes(stored as boolean)) {
        missing.push({
          phase: state.phase,
          line: `elder mode of ${user}: last acknowledged ${String(state.lastAcknowledged)}, database has ${String(stored)}`,
        });
      }
    }

    const after = await findInconsistencies(client);
    return {
      checked: {
        bookings: ledger.bookings.length,
        cancellations: ledger.cancellations.length,
        elderModeUsers: elderMode,
      },
      missing,
      inconsistencies: after.filter((line) => !before.includes(line)),
    };
  } finally {
    await client.end();
  }
}
