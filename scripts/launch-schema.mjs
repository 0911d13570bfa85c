// Writes the JSON schema of an inline scenario (src/language/schema.ts, from the object reader's
// rules) into package.json's launch attributes, and its descriptions into package.nls.json and
// package.nls.zh-cn.json. Run after `npm run build` when the scenario language changes;
// test/unit/schema.test.ts fails while they are out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { launchScenarioProperty } = require('../out/src/language/schema.js');

const json = (f) => JSON.parse(readFileSync(f, 'utf8'));
const write = (f, v) => writeFileSync(f, JSON.stringify(v, null, 2) + '\n');

const { property, texts } = launchScenarioProperty();
const pkg = json('package.json');
pkg.contributes.debuggers[0].configurationAttributes.launch.properties.scenario = property;
write('package.json', pkg);
for (const [file, lang] of [['package.nls.json', 'en'], ['package.nls.zh-cn.json', 'zh']]) {
  const nls = json(file);
  for (const k of Object.keys(nls)) if (k.startsWith('scenario.')) delete nls[k];
  for (const [k, t] of Object.entries(texts)) nls[k] = t[lang];
  write(file, nls);
}
