/**
 * The receiver relaxations of `wsseq open`: the named Basic Security Profile relaxations as
 * flags, the `--profile wcf` preset that turns on what WCF's messages need, the headers the
 * service declares it understands, and the list of everything relaxed that the JSON result
 * reports.
 */
import type { AlgorithmSuiteName, ReceiverPolicy } from '../index.js';
import type { BspRelaxations } from '../policy/policy.js';
import { UsageError, oneOf } from './args.js';

/** The flags, to spread into `open`'s flag definitions. */
export const RELAXATION_FLAGS = {
  profile: { type: 'string' },
  'allow-missing-encoding-type': { type: 'boolean' },
  'allow-missing-value-type': { type: 'boolean' },
  'understood-header': { type: 'string', multiple: true },
} as const;

/** The values of {@link RELAXATION_FLAGS} (and the flags they combine with). */
export interface RelaxationFlags {
  readonly profile?: string | undefined;
  readonly 'allow-missing-encoding-type'?: boolean | undefined;
  readonly 'allow-missing-value-type'?: boolean | undefined;
  readonly 'understood-header'?: string[] | undefined;
  readonly 'allow-insecure'?: boolean | undefined;
  readonly suite?: string[] | undefined;
}

/** A named preset: the suites it accepts and what it relaxes. */
interface Profile {
  readonly suites: readonly AlgorithmSuiteName[];
  readonly allowInsecureAlgorithms: boolean;
  readonly relaxations: Required<BspRelaxations>;
}

const PROFILES = {
  wcf: {
    // WCF's default suite is Basic256 (RSA-SHA1 or, in Mono, RSA-SHA256 with SHA-1 digests,
    // HMAC-SHA1, AES-256-CBC); Basic256Sha256 is its SHA-256 setting.
    suites: ['Basic256', 'Basic256Sha256'],
    allowInsecureAlgorithms: true,
    relaxations: { allowMissingEncodingType: true, allowMissingValueType: true },
  },
} as const satisfies Record<string, Profile>;

type ProfileName = keyof typeof PROFILES;

/** The usage lines, for `open --help`. */
export const RELAXATION_USAGE = `Interoperability (each relaxation is named in the JSON result's "relaxed"):
  --profile wcf           accept what WCF (and Mono's System.ServiceModel) sends; relaxes:
                          allowInsecureAlgorithms (suites Basic256 and Basic256Sha256:
                          SHA-1 digests, HMAC-SHA1, AES-CBC), allowMissingEncodingType
                          (BSP R3029), allowMissingValueType (BSP R3059); --suite narrows the
                          suites
  --allow-missing-encoding-type  BSP relaxation: a BinarySecurityToken without EncodingType
  --allow-missing-value-type     BSP relaxation: a token Reference without ValueType
  --understood-header {NS}NAME   a header the service understands (repeatable): a header for
                          this node with mustUnderstand that is neither this, nor the Security
                          header, nor WS-Addressing is rejected as MustUnderstand
`;

/** What the relaxation flags add to the receiver policy, and the names of what they relax. */
export interface RelaxedPolicy {
  readonly policy: Pick<
    ReceiverPolicy,
    'algorithmSuites' | 'allowInsecureAlgorithms' | 'relaxations' | 'understoodHeaders'
  >;
  /** Every relaxation in effect, by its library name (sorted). */
  readonly relaxed: readonly string[];
}

/**
 * Combine `--profile`, the relaxation flags, `--allow-insecure` and the suites the command
 * already checked.
 * @throws UsageError for an unknown profile or a header name that is not `{ns}local`.
 */
export function relaxedPolicy(
  flags: RelaxationFlags,
  suites: readonly AlgorithmSuiteName[],
): RelaxedPolicy {
  const profile: Profile | undefined =
    flags.profile === undefined
      ? undefined
      : PROFILES[oneOf(flags.profile, Object.keys(PROFILES) as ProfileName[], 'profile')];
  const relaxations: Required<BspRelaxations> = {
    allowMissingEncodingType:
      flags['allow-missing-encoding-type'] === true ||
      profile?.relaxations.allowMissingEncodingType === true,
    allowMissingValueType:
      flags['allow-missing-value-type'] === true ||
      profile?.relaxations.allowMissingValueType === true,
  };
  const insecure = flags['allow-insecure'] === true || profile?.allowInsecureAlgorithms === true;
  const understood = (flags['understood-header'] ?? []).map(checkHeaderName);
  const chosenSuites = suites.length > 0 ? suites : profile?.suites;
  const relaxed = [
    ...(insecure ? ['allowInsecureAlgorithms'] : []),
    ...Object.entries(relaxations)
      .filter(([, on]) => on)
      .map(([name]) => name),
  ].sort();
  return {
    policy: {
      ...(chosenSuites ? { algorithmSuites: chosenSuites } : {}),
      ...(insecure ? { allowInsecureAlgorithms: true } : {}),
      relaxations,
      ...(understood.length > 0 ? { understoodHeaders: understood } : {}),
    },
    relaxed,
  };
}

function checkHeaderName(name: string): string {
  if (!/^\{[^{}]*\}[^{}\s:]+$/.test(name)) {
    throw new UsageError(
      `--understood-header must be {namespace}localName, e.g. {urn:example}Route (got "${name}")`,
    );
  }
  return name;
}
