// Entry point for `npm start`.
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config';
import { startConsiliumServer } from './consiliumServer';
import { startupFindings } from './diagnostics/startupDiagnostics';
import { createLogger } from './logger';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));

function exitWith(message: string): never {
  console.error(`consilium: ${message}`);
  process.exit(1);
}

let config;
try {
  config = loadConfig(process.env, projectRoot);
} catch (error) {
  exitWith(error instanceof ConfigError ? error.message : String(error));
}

try {
  accessSync(config.media.workerBin, constants.X_OK);
} catch {
  exitWith(`mediasoup worker binary not found at ${config.media.workerBin}; build it with \`npm run setup\` (see README, "Troubleshooting").`);
}

const logger = createLogger(config.logLevel);
const server = await startConsiliumServer(config, logger).catch((error: unknown) =>
  exitWith(`could not start: ${error instanceof Error ? error.message : String(error)}`),
);
const publicUrl = config.publicUrl ?? `http://localhost:${server.port}`;
console.log(`Consilium is running on ${publicUrl}`);
if (server.accounts.doctorCount() === 0) {
  // The token travels after '#', so it never reaches server or proxy logs.
  const { token } = server.accounts.createSetupInvitation();
  console.log(`No doctor account exists yet. Create the first one (link valid 7 days, once): ${publicUrl}/setup#${token}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

// After "running": the TURN check may take a few seconds, and the site is usable meanwhile.
for (const finding of await startupFindings(config, server.certificate())) {
  logger.warn({ severity: finding.severity }, finding.message);
  console.warn(`consilium: ${finding.severity === 'problem' ? 'PROBLEM' : 'warning'}: ${finding.message}`);
}
