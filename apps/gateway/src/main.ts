import { ConfigError, loadConfig } from './config.js';
import { FORCED_SHUTDOWN_EXIT_CODE, createGateway } from './gateway.js';
import { DEMO_PASSWORD, DEMO_RESIDENTS, DEMO_STAFF } from './seed/demo-accounts.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const gateway = await createGateway(config);
  const url = await gateway.server.start();
  const { logger } = gateway.deps;
  logger.info({ url, database: config.database.kind }, 'portal listening');
  if (config.demo) {
    // Printed to the terminal for the person who ran `npm start`, not to the log.
    const lines = [
      '',
      `  汕尾市民服务门户 Shanwei citizen services portal: ${url}`,
      `  Database: ${config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'PostgreSQL server'}`,
      '',
      `  Demo sign-ins (password for all: ${DEMO_PASSWORD})`,
      ...DEMO_RESIDENTS.map((r) => `    resident  ${r.idNumber}  ${r.name}  ${r.note}`),
      ...DEMO_STAFF.map((s) => `    staff     ${s.staffNumber.padEnd(18)}  ${s.name}  ${s.note}`),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl+C: do not wait for the deadline.
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      process.exit(FORCED_SHUTDOWN_EXIT_CODE);
    }
    stopping = true;
    const deadlineSeconds = config.shutdownDeadlineMs / 1000;
    logger.info(
      { signal, deadlineSeconds },
      'shutting down: no new connections; requests in flight get until the deadline',
    );
    // The last resort, should closing hang after the deadline: the process ends all the same.
    setTimeout(() => {
      logger.error({ deadlineSeconds }, 'shutdown did not finish after the deadline: exiting');
      process.exit(FORCED_SHUTDOWN_EXIT_CODE);
    }, config.shutdownDeadlineMs + 5_000).unref();
    gateway
      .shutdown()
      .then((result) => {
        if (result.forced) {
          logger.warn(
            { deadlineSeconds, cutRequests: result.cutRequests },
            'shutdown deadline passed: closed the connections still open',
          );
          process.exit(FORCED_SHUTDOWN_EXIT_CODE);
        }
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
