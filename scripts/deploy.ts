import { MICRO_APP_NAMES, publishAll, publishMicroApp, staticDirFromEnv, type MicroAppName } from './static-site';

/**
 *   tsx scripts/deploy.ts all          publish every build (start does this)
 *   tsx scripts/deploy.ts app <name>   publish one micro-app's build alone
 */
const [command, name] = process.argv.slice(2);
const staticDir = staticDirFromEnv();

if (command === 'all') {
  publishAll(staticDir);
  console.log(`Published the portal to ${staticDir}`);
} else if (command === 'app' && MICRO_APP_NAMES.includes(name as MicroAppName)) {
  const { version, url } = publishMicroApp(staticDir, name as MicroAppName);
  console.log(`Published ${name} ${version}: the import map now points @portal/app-${name} at ${url}`);
} else {
  console.error(`Usage: deploy.ts all | deploy.ts app <${MICRO_APP_NAMES.join('|')}>`);
  process.exit(2);
}
