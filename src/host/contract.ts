/**
 * A service configured from a WSDL contract: its opener takes the contract's receiver policy
 * (unless the caller gave one) and checks every opened message against the rest of the
 * contract ({@link checkContract}: the credential type, supporting-token protection,
 * EncryptSignature) before the handler sees it.
 */
import { createOpener } from '../open/open-envelope.js';
import type { OpenMessageOptions, OpenOptions, OpenResult, Opener } from '../open/open-envelope.js';
import { checkContract } from '../policy/contract-check.js';
import type { PolicyFromWsdlResult } from '../policy/wsdl.js';

/** What a service needs of a {@link policyFromWsdl} result. */
export type ServiceContract = Pick<
  PolicyFromWsdlResult,
  'binding' | 'credentialType' | 'requirements' | 'receiver' | 'mode'
>;

/**
 * The service's opener: `opener`, or one made from `open` (with the contract's receiver
 * policy when `open.policy` is not set), checking each message against `contract` when one is
 * given. Undefined when there is neither an opener nor open options.
 */
export function serviceOpener(
  opener: Opener | undefined,
  open: OpenOptions | undefined,
  contract: ServiceContract | undefined,
): Opener | undefined {
  if (!contract) return opener ?? (open ? createOpener(open) : undefined);
  const base =
    opener ??
    (open ? createOpener(open.policy ? open : { ...open, policy: contract.receiver }) : undefined);
  if (!base) return undefined;
  const openChecked = async (
    message: string | Uint8Array,
    options?: OpenMessageOptions,
  ): Promise<OpenResult> => {
    const result = await base.open(message, options);
    try {
      checkContract(contract, result.context);
    } catch (err) {
      await result.release();
      throw err;
    }
    return result;
  };
  return Object.freeze({
    open: openChecked,
    ...(base.replayCache ? { replayCache: base.replayCache } : {}),
    // The base opener releases the replay keys when the check (like the handler) throws.
    openAndHandle: <T>(
      message: string | Uint8Array,
      handler: (result: OpenResult) => T | Promise<T>,
    ): Promise<T> =>
      base.openAndHandle(message, (result) => {
        checkContract(contract, result.context);
        return handler(result);
      }),
  });
}
