// The programmes room's model (web/app/programmes/model.js), under node without a browser:
// its KPI target table is the core's (core/model/targets.cpp), in the same order; amounts typed
// as decimals become minor units of their currency and come back the same; targets text
// round-trips and keeps lines it does not know.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const M = await import(join(root, 'web', 'app', 'programmes', 'model.js'));
const problems = [];
const same = (what, got, want) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
};

// The core's table: {S::kOutputs, "reach", U::kCount}, … in target_metrics().
const cpp = readFileSync(join(root, 'core', 'model', 'targets.cpp'), 'utf8');
const units = { kCount: 'count', kMoney: 'money', kBasisPoints: 'basis_points' };
const core = [...cpp.matchAll(/\{S::k(\w+), "(\w+)", U::(k\w+)\}/g)]
  .map(([, stage, metric, unit]) => ({ stage: stage.toLowerCase(), metric, unit: units[unit] }));
if (core.length < 10) problems.push(`core/model/targets.cpp: only ${core.length} metrics read: has the table's layout changed?`);
same('the target metrics (web/app/programmes/model.js TARGET_METRICS vs core/model/targets.cpp)', M.TARGET_METRICS, core);

// Money: minor units of the currency's own digits.
same('12.34 EUR', M.toMinor('12.34', 'EUR'), 1234);
same('1 234,5 EUR', M.toMinor('1 234,5', 'EUR'), 123450);
same('500 JPY', M.toMinor('500', 'JPY'), 500);
same('5.5 JPY (yen have no decimals)', M.toMinor('5.5', 'JPY'), { error: 'bad_format' });
same('1.234 EUR (three decimals)', M.toMinor('1.234', 'EUR'), { error: 'bad_format' });
same('-3 EUR', M.toMinor('-3', 'EUR'), { error: 'bad_format' });
same('empty', M.toMinor('  ', 'EUR'), null);
same('1.5 KWD', M.toMinor('1.5', 'KWD'), 1500);
same('123450 EUR back', M.fromMinor(123450, 'EUR'), '1234.50');
same('5 EUR cents back', M.fromMinor(5, 'EUR'), '0.05');
same('500 JPY back', M.fromMinor(500, 'JPY'), '500');
for (const [text, cur] of [['0.01', 'EUR'], ['99999.99', 'USD'], ['7', 'JPY']])
  same(`${text} ${cur} round trip`, M.fromMinor(M.toMinor(text, cur), cur), cur === 'JPY' ? text : text);
same('formatted', M.formatMoney(123450, 'EUR', 'en-GB'), '€1,234.50');

// Targets text.
const rows = M.parseTargets('outputs.reach=2000000\noutcomes.revenue=1500000; future.thing=3');
same('parsed targets', rows, [{ stage: 'outputs', metric: 'reach', value: 2000000 }, { stage: 'outcomes', metric: 'revenue', value: 1500000 }, { raw: 'future.thing=3' }]);
same('targets text', M.targetsText(rows), 'outputs.reach=2000000\noutcomes.revenue=1500000\nfuture.thing=3');

if (problems.length) {
  console.error(`programmes: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`programmes: ${M.TARGET_METRICS.length} target metrics as the core's; money and targets round-trip`);
