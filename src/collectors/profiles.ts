/**
 * Named profiles: `--profile audit` (or AWS_PROFILE=audit) must name a profile of the shared config
 * or credentials file. The SDK's chain does not stop at a missing profile: it goes on to web
 * identity, container and instance credentials, or ends in a generic CredentialsProviderError. A
 * scan of the wrong account, or an error that does not say which profile, is worse than one clear
 * line naming the profile and the files searched, as the AWS CLI gives.
 *
 * Files and section names are read as the SDK's shared-ini loader reads them: AWS_CONFIG_FILE
 * (default ~/.aws/config) holds `[default]` and `[profile NAME]`; AWS_SHARED_CREDENTIALS_FILE
 * (default ~/.aws/credentials) holds `[NAME]`; `;` and `#` start comments.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../engine/errors.js';

type Env = Record<string, string | undefined>;

/** The SDK's home directory: HOME, USERPROFILE, HOMEDRIVE+HOMEPATH, then the OS's. */
function homeDir(env: Env): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? `C:${path.sep}`}${env.HOMEPATH}`;
  return homedir();
}

function expandHome(file: string, env: Env): string {
  return file.startsWith('~/') ? path.join(homeDir(env), file.slice(2)) : file;
}

export function sharedConfigFiles(env: Env = process.env): { config: string; credentials: string } {
  return {
    config: expandHome(env.AWS_CONFIG_FILE || path.join(homeDir(env), '.aws', 'config'), env),
    credentials: expandHome(env.AWS_SHARED_CREDENTIALS_FILE || path.join(homeDir(env), '.aws', 'credentials'), env),
  };
}

const PREFIXED_SECTION = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;

/** Profile names defined by one file's section headers. */
export function profileNames(text: string, kind: 'config' | 'credentials'): Set<string> {
  const names = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.split(/(^|\s)[;#]/)[0]!.trim();
    if (!line.startsWith('[') || !line.endsWith(']')) continue;
    const section = line.slice(1, -1);
    const prefixed = PREFIXED_SECTION.exec(section);
    if (kind === 'credentials') {
      if (!prefixed) names.add(section);
    } else if (prefixed) {
      if (prefixed[1] === 'profile') names.add(prefixed[3]!);
    } else if (section === 'default') {
      names.add(section);
    }
  }
  return names;
}

async function readNames(file: string, kind: 'config' | 'credentials'): Promise<Set<string>> {
  try {
    return profileNames(await readFile(file, 'utf8'), kind);
  } catch {
    // A missing or unreadable file defines no profile (the SDK ignores it the same way).
    return new Set();
  }
}

/**
 * Throws a usage error naming the profile and both files when `--profile` (or AWS_PROFILE) names a
 * profile that neither file defines.
 */
export async function assertProfileExists(profile: string | undefined, env: Env = process.env): Promise<void> {
  const fromFlag = profile !== undefined && profile !== '';
  const name = fromFlag ? profile : env.AWS_PROFILE;
  if (!name) return;
  const files = sharedConfigFiles(env);
  const [config, credentials] = await Promise.all([readNames(files.config, 'config'), readNames(files.credentials, 'credentials')]);
  if (config.has(name) || credentials.has(name)) return;
  const label = fromFlag ? `--profile ${name}` : `AWS_PROFILE=${name}`;
  throw new UsageError(`${label}: no such profile in ${files.config} or ${files.credentials}`);
}
