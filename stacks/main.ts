import { buildDefaultApp } from './default-app';
import { GuardrailsApp } from '../src';

const started = Date.now();
const app = new GuardrailsApp();
try {
  buildDefaultApp(app);
  app.synth();
} catch (e) {
  // The messages name the property, the limit, the value and the fix; a stack trace adds nothing.
  console.error(`Synth failed, nothing was written:\n${(e as Error).message}`);
  process.exit(1);
}
console.log(`Synthesized ${app.node.children.length} stack(s) into ${app.finalOutdir} in ${((Date.now() - started) / 1000).toFixed(2)} s.`);
if (app.enforcementSummary) console.log(app.enforcementSummary);
for (const warning of app.warnings) console.warn(`warning: ${warning}`);
