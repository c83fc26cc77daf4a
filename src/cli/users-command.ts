/**
 * `wsseq users hash`: a salted scrypt hash of a password, for the users file of
 * `wsseq open --users`.
 */
import { hashPassword } from '../credentials/user-store.js';
import { EXIT, UsageError, parseFlags, required, secretFrom } from './args.js';
import type { Command } from './args.js';
import type { CliIo } from './io.js';

const USAGE = `Usage: wsseq users hash --password-env VAR [--username NAME]

Print a salted scrypt hash (scrypt$N$r$p$salt$hash) of the password held by environment
variable VAR, for the "passwordHash" of a user in the file "wsseq open --users" reads. With
--username, print the whole entry: {"username":"NAME","passwordHash":"scrypt$..."}.

A passwordHash checks PasswordText tokens only: a user who sends PasswordDigest tokens
needs "password" (the clear text) in the users file instead.

  --password-env VAR    read the password from environment variable VAR (passwords are
                        never accepted on the command line)
  --username NAME       print a users file entry instead of the bare hash
  -h, --help            show this help

Exit status: 0 printed, 2 usage error, 3 unexpected failure.

Example:
  ALICE_PW=... wsseq users hash --password-env ALICE_PW --username alice
`;

const FLAGS = {
  'password-env': { type: 'string' },
  username: { type: 'string' },
} as const;

/** `wsseq users`. */
export const usersCommand: Command = {
  name: 'users',
  summary: 'users hash: hash a password for the users file of "open --users"',
  usage: USAGE,
  run: runUsers,
};

async function runUsers(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'hash') {
    throw new UsageError(sub === undefined ? 'missing "hash"' : `unknown users command "${sub}"`);
  }
  const flags = parseFlags(rest, FLAGS);
  const variable = required(flags['password-env'], 'password-env');
  const password = secretFrom(io, 'password-env', variable);
  if (password === '') throw new UsageError(`--password-env ${variable}: the password is empty`);
  const passwordHash = await hashPassword(password);
  io.stdout(
    flags.username === undefined
      ? `${passwordHash}\n`
      : `${JSON.stringify({ username: flags.username, passwordHash })}\n`,
  );
  return EXIT.ok;
}
