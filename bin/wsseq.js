#!/usr/bin/env node
// The installed `wsseq` command: runs the built CLI (dist/, made by `npm run build`).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist')) {
    process.stderr.write('wsseq: dist/ is missing; run "npm run build" first\n');
    process.exit(3);
  }
  throw err;
}
process.exitCode = await cli.main(process.argv.slice(2));
