/** The "Written by factorlab X on DATE" line of reports; the version is set once by the CLI entry. */
let version = '';

/** Set once by runCli with the package version. */
export function setGeneratorVersion(v: string): void {
  version = v;
}

export function generatorLine(): string {
  return `Written by factorlab${version ? ` ${version}` : ''} on ${new Date().toISOString().slice(0, 10)}`;
}
