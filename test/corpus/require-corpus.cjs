// Loaded by .mocharc.corpus.json before any test file: stops the run with one line (exit 1) when the
// corpora are missing, instead of a stack trace per file or, worse, a run that skips everything.
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');
const root = process.env.STEWARD_CORPUS ? path.resolve(process.env.STEWARD_CORPUS) : path.resolve(__dirname, '../../../shared/corpus');
const dir = path.join(root, 'real');
if (!existsSync(dir) || readdirSync(dir).length === 0) {
  console.error(`npm run test:corpus: no corpus at ${dir} (put the shared corpora beside the checkout, or set STEWARD_CORPUS)`);
  process.exit(1);
}
