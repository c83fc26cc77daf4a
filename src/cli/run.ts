/**
 * Entry point that runs the command line on this process's arguments, for running from
 * source: `node --import tsx src/cli/run.ts open --in msg.xml ...`. The installed command is
 * `bin/wsseq.js`, which does the same with the built `dist/cli/main.js`.
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
