import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';

/** The start path as `npm start` runs it: a data directory on disk, migrations, a one-time seed. */
describe('starting the gateway on an embedded database directory', () => {
  it('seeds on the first start only, and a restart keeps what users did', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-gateway-'));
    const config = loadConfig({
      PORTAL_DEMO: 'true',
      PORTAL_DATA_DIR: dataDir,
      PORTAL_SEED_RESIDENTS: '6',
      LOG_LEVEL: 'silent',
      PORT: '0',
    });
    try {
      const first = await createGateway(config);
      const residents = await first.deps.db.prisma.resident.count();
      expect(residents).toBeGreaterThanOrEqual(6);
      // Something a user did: a session row.
      const resident = await first.deps.db.prisma.resident.findFirstOrThrow({ select: { id: true } });
      await first.deps.db.prisma.session.create({
        data: {
          id: crypto.randomUUID(),
          tokenHash: 'a'.repeat(64),
          kind: 'RESIDENT',
          residentId: resident.id,
          lastSeenAt: new Date(),
          expiresAt: new Date(Date.now() + 60_000),
        },
      });
      await first.shutdown();

      const second = await createGateway(config);
      try {
        expect(await second.deps.db.prisma.resident.count()).toBe(residents);
        expect(await second.deps.db.prisma.session.count({ where: { tokenHash: 'a'.repeat(64) } })).toBe(1);
        const migrations = await second.deps.db.sql.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM "_prisma_migrations"',
        );
        expect(migrations[0]!.count).toBe(
          fs
            .readdirSync(path.resolve(import.meta.dirname, '../../../prisma/migrations'), { withFileTypes: true })
            .filter((e) => e.isDirectory()).length,
        );
      } finally {
        await second.shutdown();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
