// The running version, read from package.json so there is one place to bump it.
import { readFileSync } from 'node:fs';

const pkgUrl = new URL('../../../package.json', import.meta.url);
export const version: string = (JSON.parse(readFileSync(pkgUrl, 'utf8')) as { version: string }).version;
