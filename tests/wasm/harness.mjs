// Shared pieces of the WebAssembly façade tests under node: loading core.js/core.wasm from a
// WebAssembly build tree, calling the façade, and a tiny named-check runner that prints
// "N passed, N failed" and sets the exit code (CTest reads it).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

// The app folder of a WebAssembly build tree: argv[2], or $LIAISON_WASM_APP.
export function appDir() {
  const dir = process.argv[2] || process.env.LIAISON_WASM_APP;
  if (!dir || !fs.existsSync(path.join(dir, 'core.js'))) {
    console.error('usage: node --no-experimental-fetch <test>.mjs <wasm build>/app');
    process.exit(2);
  }
  return dir;
}

// Each module instance adds its own process listeners (Emscripten's node support).
process.setMaxListeners(0);

// A fresh module instance (its own memory and file system).
export async function loadCore(dir) {
  const require = createRequire(import.meta.url);
  const create = require(path.resolve(dir, 'core.js'));
  return create({ wasmBinary: fs.readFileSync(path.join(dir, 'core.wasm')) });
}

// core.call(method, args) as a parsed envelope.
export function caller(core) {
  return (method, args = {}) => JSON.parse(core.call(method, typeof args === 'string' ? args : JSON.stringify(args)));
}

export function runner() {
  let passed = 0;
  let failed = 0;
  const tests = [];
  return {
    test(name, fn) {
      tests.push({ name, fn });
    },
    async run() {
      for (const { name, fn } of tests) {
        const t0 = performance.now();
        const took = () => `(${((performance.now() - t0) / 1000).toFixed(1)} s)`;  // where a run's time goes
        try {
          await fn();
          passed++;
          console.log(`ok   ${name} ${took()}`);
        } catch (e) {
          failed++;
          console.log(`FAIL ${name} ${took()}\n     ${e && e.stack ? e.stack.split('\n').slice(0, 3).join('\n     ') : e}`);
        }
      }
      console.log(`${passed} passed, ${failed} failed`);
      process.exitCode = failed ? 1 : 0;
    },
  };
}

export function check(cond, message, detail) {
  if (!cond) throw new Error(message + (detail === undefined ? '' : ': ' + JSON.stringify(detail).slice(0, 400)));
}

// Asserts an ok envelope and returns its value.
export function value(r, what) {
  check(r && r.ok === true, `${what} should succeed`, r);
  return r.value;
}

// The database file as the persisted chunks describe it: takes the dirty chunks into `image`
// (a map index -> bytes, and the size), as the worker stores them in IndexedDB.
export function collect(core, image = { chunks: new Map(), size: 0 }) {
  const d = value(core.dirtyChunks(), 'dirtyChunks');
  for (const c of d.chunks) image.chunks.set(c.index, c.bytes);
  image.size = d.size;
  return image;
}
// The image's bytes as one Buffer.
export function flatten(image) {
  const out = Buffer.alloc(image.size);
  for (const [i, bytes] of image.chunks) {
    const at = i * 65536;
    if (at < image.size) out.set(bytes.subarray(0, image.size - at), at);
  }
  return out;
}
