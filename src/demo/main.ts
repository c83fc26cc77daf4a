/** Entry of `npm start`: run the demo in `.wsseq-demo` and exit 1 if anything was unexpected. */
import { shouldUseColor } from '../cli/io.js';
import { runDemo } from './run-demo.js';

const summary = await runDemo({ color: shouldUseColor(process.env, process.stdout.isTTY) });
process.exitCode = summary.unexpected > 0 ? 1 : 0;
