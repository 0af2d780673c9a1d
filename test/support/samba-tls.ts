/**
 * A throw-away CA and a server certificate for the test DC. Samba's own certificate names only
 * `dc1.contoso.test` and has no subjectAltName, so it fails host name verification for 127.0.0.1;
 * the product must never turn verification off, so the tests trust this CA instead.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr.trim() || (err as Error).message}`, { cause: err });
  }
}

/** Writes ca.pem, server.pem and server.key (mode 600, as Samba insists) under `dir`. */
export async function createTestTls(dir: string): Promise<TestTls> {
  await mkdir(dir, { recursive: true });
  await openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-subj',
    '/CN=Hardmatch test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  await writeFile(
    join(dir, 'server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    'server.pem',
    '-extfile',
    'server.ext',
  ]);
  const keyFile = join(dir, 'server.key');
  await chmod(keyFile, 0o600);
  return { caFile: join(dir, 'ca.pem'), certFile: join(dir, 'server.pem'), keyFile };
}
