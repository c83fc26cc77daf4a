/**
 * The client credential of `wsseq secure`: a certificate (`--cert/--key`, `--pfx`), a
 * UsernameToken (`--username --password-env`), or an issued token (`--token-file`), which
 * the certificate then signs for (holder-of-key).
 */
import { issuedTokenCredential } from '../credentials/issued-jwt.js';
import { usernameCredential } from '../credentials/username.js';
import type { PasswordType } from '../credentials/username.js';
import type { CredentialType, SenderCredential } from '../credentials/types.js';
import { certificateCredential, loadPem, loadPfx } from '../index.js';
import type { Certificate, KeyMaterial, KeyReferenceStyle, ProtectionLevel } from '../index.js';
import type { PolicyFromWsdlResult } from '../policy/wsdl.js';
import {
  UsageError,
  loadKeyOrFail,
  loadOrFail,
  onlyWith,
  passphraseFrom,
  readFlagFile,
  required,
  secretFrom,
} from './args.js';
import type { CliIo } from './io.js';

/** The flags, to spread into `secure`'s flag definitions. */
export const CLIENT_CREDENTIAL_FLAGS = {
  cert: { type: 'string' },
  key: { type: 'string' },
  pfx: { type: 'string' },
  'passphrase-env': { type: 'string' },
  username: { type: 'string' },
  'password-env': { type: 'string' },
  digest: { type: 'boolean' },
  'allow-unencrypted-password-text': { type: 'boolean' },
  'token-file': { type: 'string' },
} as const;

/** The values of {@link CLIENT_CREDENTIAL_FLAGS}. */
export interface ClientCredentialFlags {
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly pfx?: string | undefined;
  readonly 'passphrase-env'?: string | undefined;
  readonly username?: string | undefined;
  readonly 'password-env'?: string | undefined;
  readonly digest?: boolean | undefined;
  readonly 'allow-unencrypted-password-text'?: boolean | undefined;
  readonly 'token-file'?: string | undefined;
}

/** What the sender's policy will do with the credential. */
export interface CredentialSetting {
  readonly protectionLevel: ProtectionLevel;
  readonly keyReference: KeyReferenceStyle | undefined;
}

/** The credential, and the client certificate it signs with (when it has one). */
export interface ClientCredential {
  readonly credential: SenderCredential;
  readonly certificate: Certificate | undefined;
}

const USERNAME_FLAGS = ['password-env', 'digest', 'allow-unencrypted-password-text'];

/** The credential type the flags choose. */
export function chosenCredential(flags: ClientCredentialFlags): CredentialType {
  if (flags.username !== undefined && flags['token-file'] !== undefined) {
    throw new UsageError('give either --username or --token-file, not both');
  }
  onlyWith(flags, USERNAME_FLAGS, 'username');
  if (flags.username !== undefined) return 'UserName';
  if (flags['token-file'] !== undefined) return 'IssuedToken';
  return 'Certificate';
}

/**
 * Build the client credential from the flags (and the contract's password type).
 * @throws UsageError for missing or conflicting flags, unreadable files, a wrong passphrase,
 *   a token that does not fit the certificate, or a protection level the credential cannot
 *   travel under.
 */
export async function clientCredential(
  flags: ClientCredentialFlags,
  io: CliIo,
  setting: CredentialSetting,
  contract: PolicyFromWsdlResult | undefined,
): Promise<ClientCredential> {
  const type = chosenCredential(flags);
  const level = setting.protectionLevel;
  const keyReference = setting.keyReference;
  const ref = keyReference === undefined ? {} : { keyReference };
  if (type === 'Certificate') {
    if (!hasMaterial(flags)) {
      const hint = contract ? credentialHint(contract) : undefined;
      throw new UsageError(
        hint ?? 'missing the client credential: --cert with --key, or --pfx (or --username)',
      );
    }
    const { certificate, privateKey } = await clientMaterial(flags, io);
    const credential = loadOrFail('client credential', () =>
      certificateCredential({ certificate, privateKey, ...ref }),
    );
    return { credential, certificate };
  }
  const material = hasMaterial(flags) ? await clientMaterial(flags, io) : undefined;
  if (type === 'IssuedToken') {
    const path = flags['token-file'] ?? '';
    const token = Buffer.from(await readFlagFile(io, 'token-file', path)).toString('utf8');
    const credential = loadOrFail(`--token-file ${path}`, () =>
      issuedTokenCredential({
        token,
        ...(material
          ? { certificate: material.certificate, privateKey: material.privateKey, ...ref }
          : {}),
      }),
    );
    return { credential, certificate: material?.certificate };
  }
  const username = flags.username ?? '';
  const variable = required(flags['password-env'], 'password-env');
  const password = secretFrom(io, 'password-env', variable);
  const passwordType: PasswordType =
    flags.digest === true
      ? 'PasswordDigest'
      : (contract?.userNameToken?.passwordType ?? 'PasswordText');
  const allowClear = flags['allow-unencrypted-password-text'] === true;
  if (passwordType === 'PasswordText' && level !== 'EncryptAndSign' && !allowClear) {
    throw new UsageError(
      'a PasswordText password travels only in an encrypted message: give --digest, or ' +
        '--allow-unencrypted-password-text (DANGEROUS: the password is readable on the way)',
    );
  }
  if (level === 'Sign' && !material) {
    throw new UsageError(
      '--username without --cert/--key or --pfx signs with the key of the encryption: ' +
        'drop --sign-only, or give a client certificate to sign with',
    );
  }
  const credential = loadOrFail('--username', () =>
    usernameCredential({
      username,
      password,
      passwordType,
      ...(allowClear ? { allowUnencryptedPasswordText: true } : {}),
      ...(material
        ? {
            signWith: {
              certificate: material.certificate,
              privateKey: material.privateKey,
              ...ref,
            },
          }
        : {}),
    }),
  );
  return { credential, certificate: material?.certificate };
}

/** The flags a contract's credential needs, when the command line does not give it. */
export function credentialHint(contract: PolicyFromWsdlResult): string | undefined {
  const where = `--wsdl binding ${contract.binding} asks for a ${contract.credentialType} credential`;
  switch (contract.credentialType) {
    case 'UserName':
      return `${where}: give --username NAME --password-env VAR`;
    case 'IssuedToken':
      return `${where}: give --token-file FILE with the --cert/--key (or --pfx) it is bound to`;
    default:
      return undefined;
  }
}

function hasMaterial(flags: ClientCredentialFlags): boolean {
  return flags.cert !== undefined || flags.key !== undefined || flags.pfx !== undefined;
}

/**
 * The client key and certificate: `--pfx`, or `--cert` with `--key`.
 * @throws UsageError for conflicting or missing flags, unreadable files, a wrong passphrase.
 */
export async function clientMaterial(
  flags: ClientCredentialFlags,
  io: CliIo,
): Promise<KeyMaterial> {
  const passphrase = passphraseFrom(io, flags['passphrase-env']);
  if (flags.pfx !== undefined) {
    if (flags.cert !== undefined || flags.key !== undefined) {
      throw new UsageError('give either --pfx or --cert with --key, not both');
    }
    const pfxPath = flags.pfx;
    const pfx = await readFlagFile(io, 'pfx', pfxPath);
    return loadKeyOrFail(`--pfx ${pfxPath}`, passphrase, () => loadPfx(pfx, passphrase));
  }
  const certPath = required(flags.cert, 'cert');
  const keyPath = required(flags.key, 'key');
  const [certificate, privateKey] = await Promise.all([
    readFlagFile(io, 'cert', certPath),
    readFlagFile(io, 'key', keyPath),
  ]);
  return loadKeyOrFail(`--cert ${certPath} --key ${keyPath}`, passphrase, () =>
    loadPem({ certificate, privateKey, ...(passphrase === undefined ? {} : { passphrase }) }),
  );
}
