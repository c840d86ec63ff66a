import { buildDefaultApp } from './default-app';
import { GuardrailsApp } from '../src';

const started = Date.now();
const app = new GuardrailsApp();
buildDefaultApp(app);
app.synth();
console.log(`Synthesized ${app.node.children.length} stack(s) into ${app.finalOutdir} in ${((Date.now() - started) / 1000).toFixed(2)} s.`);
if (app.enforcementSummary) console.log(app.enforcementSummary);
for (const warning of app.warnings) console.warn(`warning: ${warning}`);
