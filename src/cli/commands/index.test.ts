import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandNames, commandsFor, registerCommands } from './index.js';

const streams = { stdout: () => undefined, stderr: () => undefined };
const all = commandNames();

describe('commands loaded on demand', () => {
  it('a run loads the command it names, --version none, anything else all of them', () => {
    expect(commandsFor(['analyze', '--factor', 'f.csv'])).toEqual(['analyze']);
    expect(commandsFor(['zoo'])).toEqual(['zoo']);
    expect(commandsFor(['exposures-zoo', '--portfolios', 'p/'])).toEqual(['exposures-zoo']);
    expect(commandsFor(['--version'])).toEqual([]);
    expect(commandsFor(['-V'])).toEqual([]);
    expect(commandsFor([])).toEqual(all);
    expect(commandsFor(['--help'])).toEqual(all);
    expect(commandsFor(['help', 'analyze'])).toEqual(all);
    expect(commandsFor(['analize'])).toEqual(all); // a typo: commander suggests from every name
    expect(commandsFor(['--version', 'analyze'])).toEqual(all);
  });

  it('each loader registers the command of its name, in help order', async () => {
    const program = new Command();
    await registerCommands(program, streams, all);
    expect(program.commands.map((c) => c.name())).toEqual(all);
    for (const name of all) {
      const one = new Command();
      await registerCommands(one, streams, [name]);
      expect(one.commands.map((c) => c.name())).toContain(name);
    }
  });
});
