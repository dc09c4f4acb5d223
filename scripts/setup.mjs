#!/usr/bin/env node
// One-step set-up, run by `npm start` and `npm test` before anything else:
//   1. Debian packages (apt-get when root), 2. npm dependencies (npm ci),
//   3. the mediasoup worker (built offline once per mediasoup version and
//      build recipe, cached outside the checkout), 4. the client bundle.
// Every step is skipped when its result is already up to date, so running it
// again costs a few hashes. Plain Node, no dependencies: it runs before npm ci.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserTestPackages, pdfFontPackages, turnPackages, workerBuildPackages, workerRuntimePackages } from './system-packages.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const purpose = parsePurpose(process.argv.slice(2));
const isTty = Boolean(process.stdout.isTTY);

function parsePurpose(args) {
  const arg = args.find((a) => a.startsWith('--for='));
  const value = arg ? arg.slice('--for='.length) : 'start';
  if (value !== 'start' && value !== 'test') fail(`unknown --for=${value} (expected start or test)`);
  return value;
}

function log(message) {
  console.log(`[setup] ${message}`);
}

function fail(message) {
  console.error(`[setup] error: ${message}`);
  process.exit(1);
}

function hashFiles(paths) {
  const hash = createHash('sha256');
  for (const path of paths) {
    hash.update(relative(root, path));
    hash.update('\0');
    hash.update(readFileSync(path));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

function readStamp(path) {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status}`);
}

// ---------------------------------------------------------------- 1. Debian packages

function missingDebianPackages(packages) {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...packages], { encoding: 'utf8' });
  if (query.error) return undefined; // not a Debian system: leave it to the user
  const installed = new Set(
    query.stdout
      .split('\n')
      .filter((line) => line.endsWith(' installed'))
      .map((line) => line.split(' ')[0]),
  );
  return packages.filter((name) => !installed.has(name));
}

function ensureDebianPackages(packages) {
  const missing = missingDebianPackages(packages);
  if (missing === undefined) {
    log('not a Debian system (no dpkg-query): skipping system packages; see README for what is needed');
    return;
  }
  if (missing.length === 0) {
    log('system packages: already installed');
    return;
  }
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    fail(`missing Debian packages: ${missing.join(' ')}\n        run as root: apt-get update && ${command}`);
  }
  log(`system packages: installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

// ---------------------------------------------------------------- 2. npm dependencies

function ensureNodeModules(workerBin) {
  const stampPath = join(root, 'node_modules', '.consilium-lock-hash');
  const lockHash = hashFiles([join(root, 'package-lock.json')]);
  if (readStamp(stampPath) === lockHash && existsSync(join(root, 'node_modules', 'mediasoup'))) {
    log('npm dependencies: up to date');
    return;
  }
  log('npm dependencies: running npm ci');
  // npm 10 runs mediasoup's postinstall, which tries to download a worker and
  // fails offline; MEDIASOUP_WORKER_BIN makes it skip. npm 11 skips it anyway
  // because package.json's allowScripts does not allow it.
  run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, MEDIASOUP_WORKER_BIN: workerBin } });
  writeFileSync(stampPath, `${lockHash}\n`);
}

// ---------------------------------------------------------------- 3. mediasoup worker

function mediasoupVersion() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const version = lock.packages?.['node_modules/mediasoup']?.version;
  if (!version) fail('package-lock.json does not pin mediasoup');
  return version;
}

function cachedWorkerPath() {
  const cacheRoot =
    process.env.CONSILIUM_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'consilium');
  // The recipe's own files are part of the key: changing a shim rebuilds.
  const recipe = hashFiles(listFiles(join(root, 'scripts', 'mediasoup-worker')));
  return join(cacheRoot, `mediasoup-worker-${mediasoupVersion()}-${recipe}`, 'mediasoup-worker');
}

function buildWorker(binary) {
  const logPath = join(dirname(binary), 'build.log');
  mkdirSync(dirname(binary), { recursive: true });
  log(`mediasoup worker: building ${mediasoupVersion()} offline against Debian's libraries (about 5-10 minutes on 2 cores)`);
  log(`mediasoup worker: full build log in ${logPath}`);
  const started = Date.now();
  const script = join(root, 'scripts', 'mediasoup-worker', 'build.sh');
  const child = spawn('bash', [script, join(root, 'node_modules', 'mediasoup'), binary], { cwd: root });
  const logLines = [];
  let lastShownTenth = -1;
  const onOutput = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      logLines.push(line);
      const step = /^\[(\d+)\/(\d+)\]/.exec(line);
      if (!step) continue;
      const percent = Math.floor((Number(step[1]) / Number(step[2])) * 100);
      const elapsed = Math.round((Date.now() - started) / 1000);
      if (isTty) {
        process.stdout.write(`\r[setup] mediasoup worker: ${percent}% (${step[1]}/${step[2]} steps, ${elapsed}s)   `);
      } else if (Math.floor(percent / 10) > lastShownTenth) {
        // Without a terminal, one line per 10% keeps CI logs short.
        lastShownTenth = Math.floor(percent / 10);
        log(`mediasoup worker: ${percent}% (${step[1]}/${step[2]} steps, ${elapsed}s)`);
      }
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      if (isTty) process.stdout.write('\n');
      writeFileSync(logPath, `${logLines.join('\n')}\n`);
      if (code !== 0) {
        console.error(logLines.slice(-40).join('\n'));
        fail(`building the mediasoup worker failed (exit ${code}); full log: ${logPath}`);
      }
      log(`mediasoup worker: built in ${Math.round((Date.now() - started) / 1000)}s`);
      resolve();
    });
  });
}

/** Where mediasoup looks for its worker when MEDIASOUP_WORKER_BIN is unset. */
function installedWorkerPath() {
  return join(root, 'node_modules', 'mediasoup', 'worker', 'out', 'Release', 'mediasoup-worker');
}

function installWorker(cached) {
  const target = installedWorkerPath();
  if (existsSync(target) && hashFiles([target]) === hashFiles([cached])) {
    log('mediasoup worker: installed');
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(cached, `${target}.partial`);
  chmodSync(`${target}.partial`, 0o755);
  renameSync(`${target}.partial`, target);
  log(`mediasoup worker: installed from cache ${cached}`);
}

// ---------------------------------------------------------------- 4. client bundle

function ensureClientBuild() {
  const inputs = [
    ...listFiles(join(root, 'client')),
    ...listFiles(join(root, 'shared')),
    join(root, 'vite.config.ts'),
    join(root, 'package-lock.json'),
  ];
  const outDir = join(root, 'dist', 'client');
  const stampPath = join(root, 'dist', '.client-build-hash');
  const inputHash = hashFiles(inputs);
  if (readStamp(stampPath) === inputHash && existsSync(join(outDir, 'index.html'))) {
    log('client bundle: up to date');
    return;
  }
  log('client bundle: building with vite');
  run(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn']);
  writeFileSync(stampPath, `${inputHash}\n`);
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const packages = [...workerRuntimePackages, ...pdfFontPackages];
  if (purpose === 'test') packages.push(...browserTestPackages);
  // With TURN enabled the operator runs our coturn configuration (npm run turn-config) on Debian's coturn.
  if (purpose === 'start' && process.env.TURN_SECRET) packages.push(...turnPackages);
  // The build toolchain is only needed when the worker is not cached yet, but
  // the cache key needs package-lock.json only, so it can be checked first.
  const cachedBeforeInstall = existsSync(join(root, 'package-lock.json')) ? cachedWorkerPath() : undefined;
  if (!cachedBeforeInstall || !existsSync(cachedBeforeInstall)) packages.push(...workerBuildPackages);
  ensureDebianPackages(packages);

  const cached = cachedWorkerPath();
  ensureNodeModules(cached);
  if (existsSync(cached) && statSync(cached).size > 0) {
    log(`mediasoup worker: cached at ${cached}`);
  } else {
    await buildWorker(cached);
  }
  installWorker(cached);
  ensureClientBuild();
  log(`ready in ${Math.round((Date.now() - started) / 1000)}s`);
}

await main();
