#!/usr/bin/env node
// bench/server/gen-devices.mjs TOKENS_FILE OUT_DIR
// For each token (one a line) makes a distinct replica id and writes:
//   OUT_DIR/devices.txt         "<token> <replica id>" one a line (read by push.lua)
//   OUT_DIR/bodies/NNN.json     one sample push per device (1 create of an interaction),
//                               used by run.sh to check the server accepts the format
//                               before the load starts. The load itself (push.lua) builds
//                               every body afresh so that each request is a new operation.
// Ids are 128 random bits as 26 Crockford base32 digits (core/model/ids.cpp), stamps are
// "<16 hex hlc>-<replica id>" with hlc = (now_ms << 16) | counter (docs/SYNC.md).
import fs from 'node:fs';
import path from 'node:path';
import { randomId, recordModelVersion } from '../web/lib.mjs';

const [tokensFile, outDir] = process.argv.slice(2);
if (!tokensFile || !outDir) {
  console.error('usage: gen-devices.mjs TOKENS_FILE OUT_DIR');
  process.exit(2);
}


const tokens = fs.readFileSync(tokensFile, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
fs.mkdirSync(path.join(outDir, 'bodies'), { recursive: true });
const influencer = randomId();
const nowMs = BigInt(Date.now());
const lines = [];
const seen = new Set();
tokens.forEach((token, i) => {
  let replica;
  do replica = randomId(); while (seen.has(replica));
  seen.add(replica);
  lines.push(`${token} ${replica}`);
  const hlc = ((nowMs << 16n) | 1n).toString(16).padStart(16, '0');
  const body = {
    protocol: 3,
    schema_version: recordModelVersion(),
    replica,
    cursor: 9000000000000, // above any server sequence: pulls stay empty
    client_hlc: 0,
    page_limit: 500,
    ops: [{
      id: `${hlc}-${replica}`,
      type: 'create',
      kind: 'interaction',
      entity: randomId(),
      actor: '',
      fields: [
        { field: 'influencer', value: { type: 'text', value: influencer } },
        { field: 'at', value: { type: 'int', value: Number(nowMs) } },
        { field: 'touchpoint', value: { type: 'text', value: 'store' } },
        { field: 'department', value: { type: 'text', value: 'retail' } },
      ],
    }],
  };
  fs.writeFileSync(path.join(outDir, 'bodies', String(i).padStart(3, '0') + '.json'), JSON.stringify(body));
});
fs.writeFileSync(path.join(outDir, 'devices.txt'), lines.join('\n') + '\n');
console.log(`gen-devices: ${tokens.length} devices, influencer ${influencer}`);
