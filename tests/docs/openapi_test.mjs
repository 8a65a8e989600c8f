// docs/openapi.yaml is a valid OpenAPI 3.0 document (every $ref resolves, every schema is well
// formed), checked with @apidevtools/swagger-parser (pinned in package-lock.json); and every
// route the server registers under /api/ (server/http/server.cpp, svr.Get("/api/…") and the
// other methods, fixed paths only) is documented.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = join(root, 'docs', 'openapi.yaml');
let api;
try {
  api = await SwaggerParser.validate(file);
} catch (e) {
  console.error(`docs/openapi.yaml is not valid: ${e.message}`);
  process.exit(1);
}
const problems = [];
const server = readFileSync(join(root, 'server', 'http', 'server.cpp'), 'utf8');
for (const m of server.matchAll(/svr\.(Get|Post|Put|Patch|Delete)\("(\/api\/[A-Za-z0-9_\-/]+)"/g)) {
  const [, method, path] = m;
  const item = api.paths[path];
  if (!item) problems.push(`${method.toUpperCase()} ${path}: not in docs/openapi.yaml`);
  else if (!item[method.toLowerCase()]) problems.push(`${method.toUpperCase()} ${path}: path documented, method not`);
}
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log(`docs/openapi.yaml: valid OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths`);
