// The real liaison-server as a child process on a free loopback port (the façade's sync test
// and the web benchmark): `serve --demo`, resolved once it listens, with the demo's tokens.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import readline from 'node:readline';

// The record model this checkout builds (core::kSchemaVersion): a push names it, and the server
// refuses any other (docs/SYNC.md "Schema evolution"), so scripts that push by hand read it here.
export function recordModelVersion() {
  const header = readFileSync(new URL('../../core/model/schema.hpp', import.meta.url), 'utf8');
  const m = /inline constexpr int kSchemaVersion = (\d+);/.exec(header);
  if (!m) throw new Error('core/model/schema.hpp: kSchemaVersion not found');
  return Number(m[1]);
}

// Resolves with {origin, port, tokens:{admin, central, regional, store, field}, notes, stop()}.
// `demo: false` restarts a demo database without issuing new tokens (the old ones stay valid);
// with the demo, every start revokes the previous demo tokens.
export function startServer(bin, db, { staticDir, extra = [], port = 0, demo = true } = {}) {
  const args = ['serve', '--db', db, '--port', String(port), ...(demo ? ['--demo'] : []), ...extra];
  if (staticDir) args.push('--static', staticDir);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The request log: kept in the file LIAISON_SERVER_LOG names (appended), else dropped.
  if (process.env.LIAISON_SERVER_LOG) child.stderr.pipe(createWriteStream(process.env.LIAISON_SERVER_LOG, { flags: 'a' }));
  else child.stderr.resume();
  const tokens = {};
  const notes = []; // what the server says about its start ("directory: N people indexed in S s")
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.on('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      const t = /^sign in as (\w+): token (\S+)/.exec(line);
      if (t) tokens[t[1]] = t[2];
      if (/^directory: /.test(line)) notes.push(line);
      const l = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(line);
      if (l) resolve({ origin: l[1], port: Number(l[2]), tokens, notes, stop });
    });
    child.on('exit', (code) => reject(new Error(`liaison-server exited (${code}) before listening`)));
    child.on('error', reject);
  });
}
