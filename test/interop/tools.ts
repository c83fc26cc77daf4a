/**
 * Shared plumbing for the interop tests: find the external stacks (xmlsec1, Debian's Python
 * with zeep and python-xmlsec), run them with time limits, and the layout rewrites xmlsec1
 * needs. Not a test file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { Document, Element } from '@xmldom/xmldom';
import { isWsseqError } from '../../src/errors.js';
import type { WsseqErrorCode } from '../../src/errors.js';
import { writeTestPki } from '../fixtures/pki.js';

export const NS = {
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
} as const;

export const ALG = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  aes128Cbc: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  aes256Cbc: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  aes256Gcm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  rsaOaepMgf1p: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
} as const;

/** Debian's interpreter: the only one that sees python3-zeep, python3-xmlsec, python3-lxml. */
export const PYTHON = '/usr/bin/python3';

/** Every external command gets this long before it is killed (the tests stay under ~20 s). */
const COMMAND_TIMEOUT_MS = 20_000;

const HERE = dirname(fileURLToPath(import.meta.url));

/** Path of a Python script in this directory. */
export function script(name: string): string {
  return join(HERE, name);
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run a command with a time limit. Returns its exit status and output; throws only when it
 * could not be started or was killed by the time limit (never a silent pass).
 */
export function run(command: string, args: readonly string[], cwd?: string): RunResult {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: COMMAND_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (r.error) throw new Error(`${command} could not run: ${r.error.message}`);
  if (r.signal) throw new Error(`${command} was killed by ${r.signal}: ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run a command that must succeed; its stderr is in the error otherwise. */
export function runOk(command: string, args: readonly string[], cwd?: string): string {
  const r = run(command, args, cwd);
  if (r.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${String(r.status)}:\n${r.stderr}${r.stdout}`,
    );
  }
  return r.stdout;
}

function probe(command: string, args: readonly string[]): boolean {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  return !r.error && r.status === 0;
}

/**
 * Whether a test file can run: warns with `install` when the tool is missing, so the file is
 * skipped with a clear message. Under CI (the `CI` environment variable set) a missing tool
 * is an error instead: CI installs the tools (.ci/run), so the interop tests must run there.
 */
function available(present: boolean, what: string, install: string): boolean {
  if (present) return true;
  const message = `interop tests need ${what} (${install})`;
  if (process.env.CI) throw new Error(`${message}; refusing to skip under CI`);
  console.warn(`skipped: ${message}`);
  return false;
}

/** xmlsec1 (the command-line tool of libxmlsec1) is installed. */
export const hasXmlsec1 = (): boolean =>
  available(probe('xmlsec1', ['--version']), 'xmlsec1', 'apt-get install xmlsec1');

/** Debian's Python has zeep, python-xmlsec and lxml. */
export const hasZeep = (): boolean =>
  available(
    probe(PYTHON, ['-c', 'import zeep.wsse.signature, xmlsec, lxml.etree']),
    'zeep, python-xmlsec and lxml for /usr/bin/python3',
    'apt-get install python3-zeep python3-xmlsec python3-lxml',
  );

/** A scratch directory holding the test PKI as files (`client.pem`, `service.key`, ...). */
export interface WorkDir {
  readonly dir: string;
  /** Absolute path of a file in the directory. */
  path(name: string): string;
  /** Write `content` to `name` and return its path. */
  write(name: string, content: string): string;
  read(name: string): string;
  remove(): void;
}

/** Make a scratch directory and write the test PKI into it (see writeTestPki). */
export async function makeWorkDir(): Promise<WorkDir> {
  const dir = mkdtempSync(join(tmpdir(), 'wsseq-interop-'));
  await writeTestPki(dir);
  const path = (name: string): string => join(dir, name);
  return {
    dir,
    path,
    write(name, content) {
      writeFileSync(path(name), content);
      return path(name);
    },
    read(name) {
      return readFileSync(path(name), 'utf8');
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The `--id-attr` options xmlsec1 needs to resolve `URI="#..."` references into a wsseq
 * message: the namespace is the one of the element that carries the Id (INTEROP.md).
 */
export function xmlsec1IdAttrs(soapNs: string): string[] {
  return [
    '--id-attr:Id',
    `${soapNs}:Body`,
    '--id-attr:Id',
    `${NS.wsu}:Timestamp`,
    '--id-attr:Id',
    `${NS.wsse}:BinarySecurityToken`,
  ];
}

function childNamed(parent: Element, ns: string, localName: string): Element | undefined {
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) {
      const el = c as Element;
      if (el.namespaceURI === ns && el.localName === localName) return el;
    }
  }
  return undefined;
}

function elementsNamed(doc: Document, ns: string, localName: string): Element[] {
  const list = doc.getElementsByTagNameNS(ns, localName);
  const out: Element[] = [];
  for (let i = 0; i < list.length; i++) {
    const el = list.item(i);
    if (el) out.push(el);
  }
  return out;
}

/**
 * Rewrite a WS-Security message into the plain XML Encryption layout xmlsec1 can decrypt:
 * each `xenc:EncryptedKey` of the Security header (with its ReferenceList) is copied into
 * a `ds:KeyInfo` of every EncryptedData it lists, and removed from the header. For a
 * temporary copy only: it changes the Security header.
 */
export function moveEncryptedKeysIntoEncryptedData(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const encryptedData = new Map<string, Element>();
  for (const ed of elementsNamed(doc, NS.xenc, 'EncryptedData')) {
    const id = ed.getAttribute('Id');
    if (id) encryptedData.set(id, ed);
  }
  let moved = 0;
  for (const key of elementsNamed(doc, NS.xenc, 'EncryptedKey')) {
    const list = childNamed(key, NS.xenc, 'ReferenceList');
    if (!list) continue;
    for (let r = list.firstChild; r; r = r.nextSibling) {
      if (r.nodeType !== 1) continue;
      const uri = (r as Element).getAttribute('URI') ?? '';
      const target = encryptedData.get(uri.replace(/^#/, ''));
      if (!target) throw new Error(`DataReference ${uri} names no EncryptedData`);
      const keyInfo = doc.createElementNS(NS.ds, 'ds:KeyInfo');
      keyInfo.appendChild(key.cloneNode(true));
      const method = childNamed(target, NS.xenc, 'EncryptionMethod');
      target.insertBefore(keyInfo, method ? method.nextSibling : target.firstChild);
      moved++;
    }
    key.parentNode?.removeChild(key);
  }
  if (moved === 0) throw new Error('no EncryptedKey with a ReferenceList to move');
  return new XMLSerializer().serializeToString(doc);
}

/**
 * The Body-wrapping attack (XSW) on a signed message: the signed Body is moved, Id and all,
 * into a wrapper element in the SOAP Header, and an unsigned Body with `evilItem` takes its
 * place. The signature stays cryptographically valid.
 */
export function wrapSignedBody(xml: string, evilItem: string): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const envelope = doc.documentElement;
  if (!envelope?.namespaceURI) throw new Error('no SOAP envelope');
  const soapNs = envelope.namespaceURI;
  const header = childNamed(envelope, soapNs, 'Header');
  const body = childNamed(envelope, soapNs, 'Body');
  if (!header || !body) throw new Error('no SOAP Header or Body');
  const evil = doc.createElementNS(soapNs, `${body.prefix ?? 'soap'}:Body`);
  const order = doc.createElementNS('urn:example:orders', 'm:PlaceOrder');
  const item = doc.createElementNS('urn:example:orders', 'm:Item');
  item.appendChild(doc.createTextNode(evilItem));
  order.appendChild(item);
  evil.appendChild(order);
  envelope.replaceChild(evil, body);
  const wrapper = doc.createElementNS('urn:example:attacker', 'x:Wrapper');
  wrapper.appendChild(body);
  header.appendChild(wrapper);
  return new XMLSerializer().serializeToString(doc);
}

/** The code of the WsseqError `promise` rejects with; fails when it resolves. */
export async function rejectionCode(promise: Promise<unknown>): Promise<WsseqErrorCode> {
  try {
    await promise;
  } catch (err) {
    if (isWsseqError(err)) return err.code;
    throw err;
  }
  throw new Error('expected the message to be rejected, but it was accepted');
}
