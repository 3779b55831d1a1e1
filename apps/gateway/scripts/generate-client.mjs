// Generates the Prisma client offline. Generation never runs the schema
// engine, but Prisma's CLI looks for one first and would try to download it;
// naming any existing file stops that (see ../shared/TOOLCHAIN.md).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const schema = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));
const result = spawnSync('prisma', ['generate', '--schema', schema], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
