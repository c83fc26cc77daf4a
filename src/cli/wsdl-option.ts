/**
 * `--wsdl FILE [--binding NAME | --service NAME --port NAME]` for `wsseq secure` and
 * `wsseq open`: the policy from a service contract.
 */
import { policyFromWsdl } from '../policy/wsdl.js';
import type { PolicyFromWsdlResult } from '../policy/wsdl.js';
import { loadOrFail, readFlagFile } from './args.js';
import type { CliIo } from './io.js';

/** The flags, to spread into a command's flag definitions. */
export const WSDL_FLAGS = {
  wsdl: { type: 'string' },
  binding: { type: 'string' },
  service: { type: 'string' },
  port: { type: 'string' },
} as const;

/** The usage lines, for a command's `--help`. */
export const WSDL_USAGE = `Contract:
  --wsdl FILE           take the policy from a WSDL 1.1 contract's WS-SecurityPolicy; the
                        policy flags given as well override it
  --binding NAME        the binding to read (or --service NAME and --port NAME; default:
                        the only one)
`;

/**
 * Read the contract `--wsdl` names, if any; warn on stderr about assertions wsseq does not
 * understand. The command checks the contract's credential type against its own flags.
 * @throws UsageError when the file cannot be read, or the contract or binding is not usable.
 */
export async function readContract(
  flags: { wsdl?: string; binding?: string; service?: string; port?: string },
  io: CliIo,
  allowInsecureAlgorithms: boolean,
): Promise<PolicyFromWsdlResult | undefined> {
  if (flags.wsdl === undefined) return undefined;
  const path = flags.wsdl;
  const text = await readFlagFile(io, 'wsdl', path);
  const contract = loadOrFail(`--wsdl ${path}`, () =>
    policyFromWsdl(text, {
      ...(flags.binding === undefined ? {} : { binding: flags.binding }),
      ...(flags.service === undefined ? {} : { service: flags.service }),
      ...(flags.port === undefined ? {} : { port: flags.port }),
      ...(allowInsecureAlgorithms ? { allowInsecureAlgorithms } : {}),
    }),
  );
  for (const a of contract.unknownAssertions) {
    io.stderr(`wsseq: warning: --wsdl binding ${contract.binding}: not understood: ${a}\n`);
  }
  return contract;
}
